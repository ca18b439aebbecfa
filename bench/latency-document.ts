// The C document that the latency benchmark edits (bench/latency-entry.ts) and the reuse fuzzer starts from.

/** A C document of about `lines` lines: ordinary functions with a few O_DIRECT and copy_file_range sites. */
export function makeDocument(lines: number): string {
  const out: string[] = ['#define _GNU_SOURCE', '#include <fcntl.h>', '#include <stdlib.h>', '#include <unistd.h>', '#define CHUNK (128 * 1024)', ''];
  let i = 0;
  while (out.length < lines) {
    if (i % 25 === 0) {
      out.push(`static int io_${i}(const char *path, int dst)`, '{', '\tint fd = open(path, O_RDONLY | O_DIRECT);', '\tchar *buf = malloc(CHUNK);',
        '\tssize_t n = pread(fd, buf, 4000, 512);', '\tloff_t a = 0, b = 262144;', '\tn += copy_file_range(fd, &a, dst, &b, 196608, 0);',
        '\tfree(buf);', '\tclose(fd);', '\treturn n < 0 ? -1 : 0;', '}', '');
    } else {
      out.push(`static long sum_${i}(const long *v, size_t n)`, '{', '\tlong total = 0;', '\tfor (size_t k = 0; k < n; k++) {',
        `\t\tif (v[k] & ${1 << (i % 12)})`, '\t\t\tcontinue;', `\t\ttotal += v[k] * ${(i % 97) + 1};`, '\t}', '\treturn total;', '}', '');
    }
    i++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}
