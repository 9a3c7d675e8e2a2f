/** A mistake in how a command was called: printed with the usage, never with a stack trace. */
export class CliUsageError extends Error {}

/** `--name value` options of one subcommand; every option given must be one the command knows. */
export class Options {
  private readonly values = new Map<string, string>();

  public constructor(args: string[], known: string[]) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (!arg.startsWith('--')) throw new CliUsageError(`unexpected argument '${arg}'`);
      const name = arg.slice(2);
      if (!known.includes(name)) throw new CliUsageError(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliUsageError(`--${name} needs a value`);
      if (this.values.has(name)) throw new CliUsageError(`--${name} given twice`);
      this.values.set(name, value);
      i++;
    }
  }

  public value(name: string): string | undefined {
    return this.values.get(name);
  }

  public required(name: string): string {
    const value = this.value(name);
    if (value === undefined) throw new CliUsageError(`--${name} is required`);
    return value;
  }

}
