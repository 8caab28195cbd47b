/**
 * A strict reader for the XML WeChat pushes: `<xml>` with elements holding
 * text or CDATA, possibly nested (`<Video>`, `<List>`), repeated elements
 * read as a list. No attributes, comments, processing instructions (but the
 * XML declaration), DOCTYPE or entities beyond the five predefined ones and
 * character references: nothing to expand, nothing fetched.
 */
import { FORBIDDEN_NAME, MAX_DEPTH, MAX_VALUES, type PushFields, type PushValue } from './values.js';

const OPEN_TAG = /<([A-Za-z_][A-Za-z0-9_.-]*)\s*(\/?)>/y;
const DECLARATION = /^\s*<\?xml\s[^<>?]*\?>/;
const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const BLANK = /^\s*$/;

/** Thrown for anything the reader does not take; the caller turns it into its own refusal. */
export class XmlRefused extends Error {}

class Reader {
  readonly #text: string;
  #at = 0;
  #values = 0;

  constructor(text: string, at: number) {
    this.#text = text;
    this.#at = at;
  }

  /** The element whose open tag starts here, as `[name, value]`. */
  element(depth: number): [string, PushValue] {
    if (depth > MAX_DEPTH || ++this.#values > MAX_VALUES) throw new XmlRefused('too deep or too many elements');
    OPEN_TAG.lastIndex = this.#at;
    const tag = OPEN_TAG.exec(this.#text);
    const name = tag?.[1];
    if (!tag || name === undefined || name === FORBIDDEN_NAME) throw new XmlRefused('bad open tag');
    this.#at = OPEN_TAG.lastIndex;
    if (tag[2] === '/') return [name, ''];
    return [name, this.#content(name, depth)];
  }

  /** What follows the current position, after whitespace; throws unless it is the end. */
  end(): void {
    if (!BLANK.test(this.#text.slice(this.#at))) throw new XmlRefused('content after the root element');
  }

  #content(name: string, depth: number): PushValue {
    let text = '';
    let cdata = false;
    const children: PushFields = {};
    let hasChildren = false;
    for (;;) {
      const lt = this.#text.indexOf('<', this.#at);
      if (lt === -1) throw new XmlRefused('unclosed element');
      text += this.#decode(this.#text.slice(this.#at, lt));
      this.#at = lt;
      if (this.#text.startsWith('<![CDATA[', lt)) {
        const close = this.#text.indexOf(']]>', lt + 9);
        if (close === -1) throw new XmlRefused('unclosed CDATA');
        text += this.#text.slice(lt + 9, close);
        cdata = true;
        this.#at = close + 3;
      } else if (this.#text.startsWith('</', lt)) {
        this.#close(name);
        break;
      } else {
        const [childName, value] = this.element(depth + 1);
        addChild(children, childName, value);
        hasChildren = true;
      }
    }
    if (!hasChildren) return text;
    if (cdata || !BLANK.test(text)) throw new XmlRefused('mixed content');
    return children;
  }

  #close(name: string): void {
    const closing = `</${name}`;
    if (!this.#text.startsWith(closing, this.#at)) throw new XmlRefused('mismatched closing tag');
    const end = this.#text.indexOf('>', this.#at);
    if (end === -1 || !BLANK.test(this.#text.slice(this.#at + closing.length, end))) throw new XmlRefused('bad closing tag');
    this.#at = end + 1;
  }

  #decode(raw: string): string {
    if (raw.indexOf('&') === -1) return raw;
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
      ENTITY.lastIndex = amp;
      const match = ENTITY.exec(raw);
      if (!match) throw new XmlRefused('unknown entity');
      out += raw.slice(from, amp) + entityText(match);
      from = ENTITY.lastIndex;
    }
    return out + raw.slice(from);
  }
}

function entityText(match: RegExpExecArray): string {
  const [, named, decimal, hex] = match;
  if (named !== undefined) return NAMED[named] ?? '';
  const code = decimal === undefined ? Number.parseInt(hex ?? '', 16) : Number(decimal);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new XmlRefused('bad character reference');
  return String.fromCodePoint(code);
}

function addChild(children: PushFields, name: string, value: PushValue): void {
  if (!Object.hasOwn(children, name)) {
    children[name] = value;
    return;
  }
  // An element's own value is text or fields, never a list: a list is a repeated element.
  const earlier = children[name] as PushValue;
  if (Array.isArray(earlier)) earlier.push(value);
  else children[name] = [earlier, value];
}

/**
 * Read an `<xml>…</xml>` document into its fields.
 *
 * @throws XmlRefused for anything else
 */
export function readPushXml(text: string): PushFields {
  const declaration = DECLARATION.exec(text);
  let at = declaration ? declaration[0].length : 0;
  while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  const reader = new Reader(text, at);
  const [name, value] = reader.element(1);
  reader.end();
  if (name !== 'xml' || typeof value !== 'object' || value === null || Array.isArray(value)) throw new XmlRefused('not an <xml> document');
  return value;
}
