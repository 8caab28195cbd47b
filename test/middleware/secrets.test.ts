import { memoryStore } from '../../adapters/memory.js';
import { startHarness } from '../support/harness.js';

it('keeps tokens, session keys and the secret out of store keys, responses and every log line', async () => {
  const store = memoryStore();
  const h = await startHarness({ store });
  const seen: string[] = [];
  const secrets: string[] = [h.wechat.appSecret];
  try {
    for (let i = 0; i < 3; i++) {
      const code = h.wechat.issueLoginCode();
      secrets.push(code);
      const login = await h.post('/wechat/login', { code });
      const { token, openid } = login.body;
      secrets.push(token, h.wechat.sessionKeyOf(openid)!);
      seen.push(JSON.stringify({ ...login.body, token: undefined }));
      const phone = h.wechat.encryptPhone(openid, '13800001111');
      seen.push(JSON.stringify((await h.post('/api/phone', phone, token)).body));
      seen.push(JSON.stringify((await h.get('/wechat/session', token)).body));
      h.wechat.issueLoginCode({ openid });
      seen.push(JSON.stringify((await h.post('/api/phone', h.wechat.encryptPhone(openid), token)).body));
      seen.push(JSON.stringify((await h.post('/wechat/login', { code }, token)).body));
      await h.post('/wechat/logout', {}, token);
    }
    h.wechat.fail('garbage');
    seen.push(JSON.stringify((await h.post('/wechat/login', { code: h.wechat.issueLoginCode() })).body));
    h.wechat.heal();
    const keys = store.keys();
    const everything = [...seen, ...h.logs, ...keys].join('\n');
    expect(h.logs.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  } finally {
    await h.close();
  }
});
