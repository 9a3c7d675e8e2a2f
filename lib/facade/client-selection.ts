import * as fs from 'fs';
import * as path from 'path';
import { Node } from 'constructs';
import { ClientConfig } from '../config';
import { ClientConfigError, ClientConfigLoader } from '../config/loader';

/** CDK context keys read by the app. */
export const CLIENT_CONTEXT = 'client';
export const CLIENTS_DIR_CONTEXT = 'clientsDir';
const DEFAULT_CLIENT = 'example';
const DEFAULT_CLIENTS_DIR = 'clients';
const CLIENT_NAME = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/**
 * Picks and loads the client config named by `-c client=<id>` (default `example`) from
 * `-c clientsDir=<dir>` (default `clients/`, relative to `projectRoot`). The file's clientId
 * must match its name, so `-c client=acme` can never deploy another client's stack.
 * @throws ClientConfigError with the file, path and fix
 */
export function loadClientFromContext(node: Node, projectRoot: string): ClientConfig {
  const client = String(node.tryGetContext(CLIENT_CONTEXT) ?? DEFAULT_CLIENT);
  const clientsDir = path.resolve(projectRoot, String(node.tryGetContext(CLIENTS_DIR_CONTEXT) ?? DEFAULT_CLIENTS_DIR));
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  const available = () => (fs.existsSync(clientsDir) ? fs.readdirSync(clientsDir) : [])
    .filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).join(', ') || 'none';

  if (!CLIENT_NAME.test(client)) {
    throw new ClientConfigError(`-c ${CLIENT_CONTEXT}=${client}`, [{
      file: `-c ${CLIENT_CONTEXT}`, path: '$', expected: `a client id with a file in ${shown(clientsDir)}/ (${available()})`, found: `'${client}'`,
    }]);
  }
  const file = path.join(clientsDir, `${client}.yaml`);
  if (!fs.existsSync(file)) {
    throw new ClientConfigError(shown(file), [{
      file: shown(file), path: '$', expected: `a client config file; clients available: ${available()}`, found: 'no such file',
    }]);
  }
  const config = ClientConfigLoader.fromFile(shown(file));
  if (config.clientId !== client) {
    throw new ClientConfigError(shown(file), [{
      file: shown(file), path: '$.clientId', expected: `'${client}' (the file's name)`, found: `'${config.clientId}'`,
    }]);
  }
  return config;
}
