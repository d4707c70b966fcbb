export async function validateView(view: HTMLElement, subject: string | undefined, _params?: URLSearchParams): Promise<void> {
  view.textContent = subject ?? '';
  await Promise.resolve();
}
