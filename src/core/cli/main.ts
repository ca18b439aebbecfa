// `zfs-dio` entry point: dispatches to the subcommands. Exit codes: 0 no warnings, 1 warnings, 2 usage error.
async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  process.stderr.write(`zfs-dio: unknown command ${command ?? '(none)'}\nusage: zfs-dio scan|probe …\n`);
  return 2;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.stderr.write(`zfs-dio: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
