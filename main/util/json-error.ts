/**
 * What is wrong with text that JSON.parse refused, without echoing the text: Node's messages quote the start of the
 * input ("Unexpected token 'r', "root:x:0:0:"... is not valid JSON"), and a file that is not JSON may hold anything.
 */
export function describeJsonError(err: unknown): string {
  const msg = (err as Error)?.message ?? '';
  if (/Unexpected end of JSON input/i.test(msg)) return 'not valid JSON (it ends too early)';
  const pos = /position (\d+)/.exec(msg);
  return `not valid JSON${pos ? ` (a syntax error at character ${pos[1]})` : ''}`;
}
