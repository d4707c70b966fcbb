export async function adminView(view: HTMLElement, _params: URLSearchParams): Promise<void> {
  view.textContent = 'admin';
  await Promise.resolve();
}
