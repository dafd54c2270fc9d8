import type { ts } from 'ts-morph';

// Source text quoted in a message: on one line and not too long, the same way in every
// rule, so that a chain written over several lines reads as it would on one
// (`this.connection\n  .getRepository(ctx, Tax)` as `this.connection.getRepository(ctx, Tax)`)
// and the spaces a line has stay (`(this.constructor as typeof Document).findAll`).

/** `text` on one line: no space around a member dot or inside brackets broken over lines, one space for any other run. */
export function oneLine(text: string): string {
  return text
    .replace(/\s*(\??\.)(?!\.)\s*/g, '$1')
    .replace(/([([{])\s*\n\s*/g, '$1')
    .replace(/\s*\n\s*([)\]}])/g, '$1')
    .replace(/\s+/g, ' ');
}

/** A node's text (or a text) for a message: on one line, cut to `max` characters. */
export function messageText(source: ts.Node | string, max = 60): string {
  const text = oneLine(typeof source === 'string' ? source : source.getText());
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
