import * as fs from 'fs';
import * as path from 'path';
import { Node } from 'constructs';
import { ClientConfig } from '../config';
import { ClientConfigError, ClientConfigLoader } from '../config/loader';

/** CDK context keys read by the app. */
export const CLIENT_CONTEXT = 'client';
export const CLIENTS_DIR_CONTEXT = 'clientsDir';
/** `-c client=all`: every config of the clients folder. */
export const ALL_CLIENTS = 'all';
const DEFAULT_CLIENT = 'example';
const DEFAULT_CLIENTS_DIR = 'clients';
const CLIENT_NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
const CONFIG_SUFFIX = '.yaml';

const shown = (file: string) => path.relative(process.cwd(), file) || file;

/** The client ids of a clients folder (`<id>.yaml`), sorted. */
export function clientIdsIn(clientsDir: string): string[] {
  return (fs.existsSync(clientsDir) ? fs.readdirSync(clientsDir) : [])
    .filter((f) => f.endsWith(CONFIG_SUFFIX)).map((f) => f.slice(0, -CONFIG_SUFFIX.length)).sort();
}

/** The clients folder named by `-c clientsDir=<dir>` (default `clients/`), relative to `projectRoot`. */
export function clientsDirFromContext(node: Node, projectRoot: string): string {
  return path.resolve(projectRoot, String(node.tryGetContext(CLIENTS_DIR_CONTEXT) ?? DEFAULT_CLIENTS_DIR));
}

/**
 * Loads `<clientsDir>/<client>.yaml`, refusing a client id that is not a plain id (a path) and a
 * file whose clientId is not its name, so `-c client=acme` can never deploy another client's stack.
 * @throws ClientConfigError with the file, path and fix
 */
export function loadClient(clientsDir: string, client: string): ClientConfig {
  const available = () => clientIdsIn(clientsDir).join(', ') || 'none';
  if (!CLIENT_NAME.test(client) || client === ALL_CLIENTS) {
    throw new ClientConfigError(`-c ${CLIENT_CONTEXT}=${client}`, [{
      file: `-c ${CLIENT_CONTEXT}`, path: '$', expected: `a client id with a file in ${shown(clientsDir)}/ (${available()}), or '${ALL_CLIENTS}'`, found: `'${client}'`,
    }]);
  }
  const file = path.join(clientsDir, `${client}${CONFIG_SUFFIX}`);
  if (!fs.existsSync(file)) {
    throw new ClientConfigError(shown(file), [{
      file: shown(file), path: '$', expected: `a client config file; clients available: ${available()}`, found: 'no such file',
    }]);
  }
  // The clientId is checked with every other rule, so its line is reported with theirs.
  return ClientConfigLoader.fromFile(shown(file), undefined, { expectedClientId: client });
}

/**
 * The client configs named by `-c client=<id>` (default `example`) or `-c client=all` (every
 * `<id>.yaml` of the folder, sorted by id), from `-c clientsDir=<dir>` (default `clients/`,
 * relative to `projectRoot`). With `all`, every file is read and all their problems are reported
 * together.
 * @throws ClientConfigError with the file, path and fix
 */
export function loadClientsFromContext(node: Node, projectRoot: string): ClientConfig[] {
  const client = String(node.tryGetContext(CLIENT_CONTEXT) ?? DEFAULT_CLIENT);
  const clientsDir = clientsDirFromContext(node, projectRoot);
  if (client !== ALL_CLIENTS) return [loadClient(clientsDir, client)];

  const ids = clientIdsIn(clientsDir);
  if (ids.length === 0) {
    throw new ClientConfigError(shown(clientsDir), [{
      file: shown(clientsDir), path: '$', expected: `at least one <client-id>${CONFIG_SUFFIX} file for -c ${CLIENT_CONTEXT}=${ALL_CLIENTS}`, found: 'none',
    }]);
  }
  const configs: ClientConfig[] = [];
  const errors: ClientConfigError[] = [];
  for (const id of ids) {
    try {
      configs.push(loadClient(clientsDir, id));
    } catch (error) {
      if (!(error instanceof ClientConfigError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new ClientConfigError(shown(clientsDir), errors.flatMap((error) => error.problems));
  }
  return configs;
}

/**
 * The one client named by `-c client=<id>` (see `loadClientsFromContext`); `all` is refused.
 * @throws ClientConfigError with the file, path and fix
 */
export function loadClientFromContext(node: Node, projectRoot: string): ClientConfig {
  const client = String(node.tryGetContext(CLIENT_CONTEXT) ?? DEFAULT_CLIENT);
  return loadClient(clientsDirFromContext(node, projectRoot), client);
}
