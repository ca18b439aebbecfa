// The editor asks for a command line as one string; the tracer runs an argument array, never a
// shell. This splits the string the way a POSIX shell splits words (single and double quotes,
// backslash escapes) and refuses what only a shell could do (pipes, redirections, variables), so a
// command never means something other than what the user sees.

export type SplitResult = { ok: true; argv: string[] } | { ok: false; reason: string };

const SHELL_ONLY = /[|&;<>()$`*?[\]{}~]/;

export function splitCommandLine(text: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: 'a single quote is not closed' };
      word += text.slice(i + 1, end); inWord = true; i = end; continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) { word += text[++j]; continue; }
        if (text[j] === '$' || text[j] === '`') return { ok: false, reason: `"${text[j]}" inside double quotes needs a shell; write the value itself` };
        word += text[j];
      }
      if (j >= text.length) return { ok: false, reason: 'a double quote is not closed' };
      inWord = true; i = j; continue;
    }
    if (c === '\\') {
      if (i + 1 < text.length) { word += text[++i]; inWord = true; }
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) { argv.push(word); word = ''; inWord = false; }
      continue;
    }
    if (SHELL_ONLY.test(c)) {
      return { ok: false, reason: `"${c}" needs a shell (pipes, redirections, variables and patterns are not run); to use one, trace: bash -c '…'` };
    }
    word += c; inWord = true;
  }
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, reason: 'the command line is empty' };
  return { ok: true, argv };
}
