/** Standard Webhooks signatures (src/domain/webhook-signature.ts) against the specification's example. */
import { describe, expect, it } from 'vitest';
import { isWebhookSecret, newWebhookSecret, verifyWebhook, webhookHeaders } from '../../src/domain/webhook-signature';

// standard-webhooks spec/standard-webhooks.md, "Signature scheme" example.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signatures', () => {
  it("signs the specification's example exactly", async () => {
    expect(await webhookHeaders(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toEqual({
      'webhook-id': SPEC.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': SPEC.signature,
    });
  });

  it('verifies: any one of several signatures, within the tolerance; refuses a changed body, id, time or secret', async () => {
    const h = { 'webhook-id': SPEC.id, 'webhook-timestamp': String(SPEC.timestamp), 'webhook-signature': SPEC.signature };
    const at = SPEC.timestamp + 10;
    expect(await verifyWebhook(SPEC.secret, h, SPEC.body, at)).toBe(true);
    expect(await verifyWebhook(SPEC.secret, { ...h, 'webhook-signature': `v1,AAAA ${SPEC.signature}` }, SPEC.body, at)).toBe(true);
    expect(await verifyWebhook(SPEC.secret, h, '{"test": 2432232315}', at)).toBe(false);
    expect(await verifyWebhook(SPEC.secret, { ...h, 'webhook-id': 'msg_other' }, SPEC.body, at)).toBe(false);
    expect(await verifyWebhook(SPEC.secret, h, SPEC.body, SPEC.timestamp + 301)).toBe(false);
    expect(await verifyWebhook(newWebhookSecret(), h, SPEC.body, at)).toBe(false);
    expect(await verifyWebhook(SPEC.secret, { ...h, 'webhook-signature': undefined }, SPEC.body, at)).toBe(false);
  });

  it('makes secrets of the standard shape, and refuses to sign with anything else', async () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(isWebhookSecret(s)).toBe(true);
    expect(newWebhookSecret()).not.toBe(s);
    for (const bad of ['', 'whsec_', 'whsec_!!!', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', `whsec_${btoa('short')}`])
      expect(isWebhookSecret(bad)).toBe(false);
    await expect(webhookHeaders('nope', 'id', 1, '')).rejects.toThrow(/not a webhook secret/);
  });
});
