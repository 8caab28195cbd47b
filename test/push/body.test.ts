import { readPushBody } from '../../src/push/body.js';
import { PushRefusal } from '../../src/push/refusal.js';

const read = (text: string) => readPushBody(text, 'malformed_body');
const refusal = (text: string): string | undefined => {
  try {
    read(text);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(PushRefusal);
    return (err as PushRefusal).reason;
  }
};

describe('XML', () => {
  it("reads WeChat's shape: CDATA and bare values, the declaration, a BOM and indentation", () => {
    const text =
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <ToUserName><![CDATA[gh_870882ca4b1]]></ToUserName>\n  <CreateTime>1626857200</CreateTime>\n  <RevokeInfo><![CDATA[1]]></RevokeInfo>\n</xml>\n';
    expect(read(text)).toEqual({ ToUserName: 'gh_870882ca4b1', CreateTime: '1626857200', RevokeInfo: '1' });
  });

  it('reads nested elements as fields, repeated ones as a list, empty ones as empty text', () => {
    const text =
      '<xml><SubscribeMsgPopupEvent><List><TemplateId><![CDATA[t1]]></TemplateId><SubscribeStatusString>accept</SubscribeStatusString></List>' +
      '<List><TemplateId><![CDATA[t2]]></TemplateId></List><List><TemplateId>t3</TemplateId></List></SubscribeMsgPopupEvent><Empty/><Blank></Blank></xml>';
    expect(read(text)).toEqual({
      SubscribeMsgPopupEvent: { List: [{ TemplateId: 't1', SubscribeStatusString: 'accept' }, { TemplateId: 't2' }, { TemplateId: 't3' }] },
      Empty: '',
      Blank: '',
    });
  });

  it('keeps CDATA verbatim, joins split CDATA, and decodes only predefined entities and character references', () => {
    expect(read('<xml><A><![CDATA[<b>&amp;]]]]><![CDATA[>]]></A><B>a &lt;&gt;&amp;&quot;&apos; &#20013;&#x6587;</B></xml>')).toEqual({
      A: '<b>&amp;]]>',
      B: 'a <>&"\' 中文',
    });
  });

  it.each([
    ['an entity of a DOCTYPE', '<!DOCTYPE xml [<!ENTITY e "x">]><xml><A>&e;</A></xml>'],
    ['an unknown entity', '<xml><A>&e;</A></xml>'],
    ['an external entity', '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><A>&e;</A></xml>'],
    ['a bare ampersand', '<xml><A>a & b</A></xml>'],
    ['a NUL character reference', '<xml><A>&#0;</A></xml>'],
    ['a surrogate character reference', '<xml><A>&#xD800;</A></xml>'],
    ['an attribute', '<xml><A id="1">x</A></xml>'],
    ['a comment', '<xml><!-- c --><A>x</A></xml>'],
    ['a processing instruction inside', '<xml><?pi x?><A>x</A></xml>'],
    ['an unclosed element', '<xml><A>x</A>'],
    ['a mismatched closing tag', '<xml><A>x</B></xml>'],
    ['an unclosed CDATA', '<xml><A><![CDATA[x</A></xml>'],
    ['mixed content', '<xml>text<A>x</A></xml>'],
    ['CDATA beside elements', '<xml><![CDATA[x]]><A>x</A></xml>'],
    ['another root', '<root><A>x</A></root>'],
    ['a root of text', '<xml>x</xml>'],
    ['an empty root', '<xml></xml>'],
    ['content after the root', '<xml><A>x</A></xml><xml><A>y</A></xml>'],
    ['a __proto__ element', '<xml><__proto__><polluted>1</polluted></__proto__></xml>'],
    ['nine levels', `<xml>${'<A>'.repeat(8)}x${'</A>'.repeat(8)}</xml>`],
    ['a thousand elements', `<xml>${'<A>x</A>'.repeat(1000)}</xml>`],
    ['an empty body', ''],
    ['text that is neither JSON nor XML', 'success'],
  ])('refuses %s', (_what, text) => {
    expect(refusal(text)).toBe('malformed_body');
  });

  it('takes eight levels and 999 elements', () => {
    expect(refusal(`<xml>${'<A>'.repeat(7)}x${'</A>'.repeat(7)}</xml>`)).toBeUndefined();
    expect(refusal(`<xml>${'<A>x</A>'.repeat(998)}</xml>`)).toBeUndefined();
  });

  it('reads a value a megabyte long, and refuses a hundred thousand nested open tags at the depth bound', () => {
    expect(refusal(`<xml>${'<A>'.repeat(100_000)}</xml>`)).toBe('malformed_body');
    expect(read(`<xml><A><![CDATA[${'x'.repeat(1_000_000)}]]></A></xml>`).A).toHaveLength(1_000_000);
  });
});

describe('JSON', () => {
  it('keeps integers beyond 2^53 exact as text, and the rest as JSON.parse reads it', () => {
    expect(
      read('{"MsgId":6054768590064713728,"CreateTime":1714112445,"Neg":-9007199254740993,"Big":1e300,"Text":"12345678901234567890","Safe":9007199254740991}'),
    ).toEqual({
      MsgId: '6054768590064713728',
      CreateTime: 1714112445,
      Neg: '-9007199254740993',
      Big: 1e300,
      Text: '12345678901234567890',
      Safe: 9007199254740991,
    });
  });

  it('is not fooled by digits or quotes inside strings', () => {
    expect(read('{"a":"x\\"1234567890123456789012\\"","b":[12345678901234567890]}')).toEqual({ a: 'x"1234567890123456789012"', b: ['12345678901234567890'] });
  });

  it.each([
    ['invalid JSON', '{"a":'],
    ['a leading zero', '{"a":012345678901234567890}'],
    ['an array', '[1,2]'],
    ['a __proto__ key', '{"__proto__":{"polluted":1}}'],
    ['a nested __proto__ key', '{"a":{"__proto__":1}}'],
    ['nine levels', `{"a":${'['.repeat(8)}${']'.repeat(8)}}`],
    ['a thousand values', `{"a":[${'1,'.repeat(999)}1]}`],
    ['trailing content', '{"a":1} x'],
  ])('refuses %s', (_what, text) => {
    expect(refusal(text)).toBe('malformed_body');
  });

  it('refuses with the reason it is given', () => {
    expect(() => readPushBody('x', 'malformed_message')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
  });
});
