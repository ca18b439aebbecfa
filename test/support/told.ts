/**
 * A finding's message with the whole path in words, as its hover gives it: where the whole path did not
 * fit beside the rule's words (MESSAGE_LIMIT), the message tells it in brief, `(via f())`, or not at all,
 * and the detail ends with "The whole path: …". Tests of what a path says read it here; the message
 * itself is held to its length by message-length.test.ts.
 */
export function inFull(f: { message: string; detail?: string }): string {
  const whole = f.detail?.match(/The whole path: (.*)\.$/)?.[1];
  if (!whole) return f.message;
  const brief = f.message.lastIndexOf(' (via ');
  return `${brief >= 0 && f.message.endsWith(')') ? f.message.slice(0, brief) : f.message} (${whole})`;
}
