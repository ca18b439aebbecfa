// A text with some ranges replaced by spaces (line breaks kept, so lines and columns stay where they
// were): what the text-only providers make of comments and literals before they look for imports.
// Built from slices of the original, since most of a source file is kept as it is.

export class Blanked {
  private readonly parts: string[] = [];
  private kept = 0;

  constructor(private readonly original: string) {}

  /**
   * Blanks [from, to) (clipped to the text). Ranges come in increasing order and do not overlap; a range
   * that starts before the end of the previous one is blanked from there.
   */
  blank(from: number, to: number): void {
    const start = Math.max(from, this.kept);
    const end = Math.min(to, this.original.length);
    if (end <= start) return;
    this.parts.push(this.original.slice(this.kept, start), this.original.slice(start, end).replace(/[^\n]/g, ' '));
    this.kept = end;
  }

  text(): string {
    return this.parts.length ? this.parts.join('') + this.original.slice(this.kept) : this.original;
  }
}
