// What a subcommand needs from the outside world: two text sinks. Tests pass string collectors;
// main.ts passes process.stdout / process.stderr.
export interface TextSink { write(chunk: string): unknown }
export interface CliIO { stdout: TextSink; stderr: TextSink }

/** A command-line mistake: main.ts prints the message (and the usage hint) and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}
