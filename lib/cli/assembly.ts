/*
 * Reading a cloud assembly (a cdk.out folder) as `cdk synth` or an in-process synthesis wrote it:
 * every stack's template and its nested stacks', following nested assemblies (stages), and the
 * construct metadata of each stack. Shared by `diff` and `audit`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliUsageError } from './options';

/** Context that makes an in-process synthesis write construct paths and asset paths into the templates' metadata, as `cdk synth` does. */
export const PATH_METADATA_CONTEXT = { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true } as const;

/** Every template of a cloud assembly, by stack: the root stack's and its nested stacks', keyed by a stable path. */
export type AssemblyTemplates = Map<string, StackTemplates>;

/** One deployed stack: its template and its nested stacks', keyed `<stack>` and `<parent key>/<nested stack logical id>`. */
export interface StackTemplates {
  readonly stackName: string;
  readonly templates: Map<string, TemplateEntry>;
}

export interface TemplateEntry {
  readonly template: Record<string, any>;
  /** The construct path shown for it. */
  readonly label: string;
  /** For a nested stack: the template key of its parent and its resource's logical id there. */
  readonly parent?: { readonly key: string; readonly logicalId: string };
}

/** Where a nested template is rendered instead of its changing asset URL. */
const NESTED_TEMPLATE_MARKER = '(nested stack: its template is compared below)';

/** One stack artifact of a cloud assembly: the folder of its (possibly nested) assembly, its id and manifest entry. */
export interface StackArtifact {
  readonly assemblyDir: string;
  readonly id: string;
  readonly artifact: Record<string, any>;
}

/** Every stack artifact of a cdk.out folder, following nested cloud assemblies (stages). */
export function stackArtifacts(dir: string): StackArtifact[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new CliUsageError(`${dir} is not a cloud assembly (no manifest.json): give a cdk.out folder or a git ref`);
  const found: StackArtifact[] = [];
  const visit = (assemblyDir: string) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf8'));
    for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact.type === 'cdk:cloud-assembly') visit(path.join(assemblyDir, artifact.properties.directoryName));
      if (artifact.type === 'aws:cloudformation:stack') found.push({ assemblyDir, id, artifact });
    }
  };
  visit(dir);
  return found;
}

/** Reads every stack template of a cdk.out folder, following nested cloud assemblies (stages) and nested stacks. */
export function readAssembly(dir: string): AssemblyTemplates {
  const stacks: AssemblyTemplates = new Map();
  for (const { assemblyDir, id, artifact } of stackArtifacts(dir)) {
    const stackName: string = artifact.properties?.stackName ?? id;
    const templates = new Map<string, TemplateEntry>();
    readTemplate(assemblyDir, artifact.properties.templateFile, stackName, artifact.displayName ?? stackName, templates);
    stacks.set(stackName, { stackName, templates });
  }
  return stacks;
}

/** The construct metadata of a stack artifact (its nested stacks' constructs included), by construct path. */
export function artifactMetadata({ assemblyDir, artifact }: StackArtifact): Record<string, Array<{ type: string; data?: unknown }>> {
  const file = artifact.additionalMetadataFile;
  const extra = typeof file === 'string' && fs.existsSync(path.join(assemblyDir, file)) ? JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf8')) : {};
  return { ...(artifact.metadata ?? {}), ...extra };
}

/** The files of the folder's asset manifests by the object key they are published under (`<hash>.json`). */
function assetFilesByObjectKey(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const manifest of fs.readdirSync(dir).filter((name) => name.endsWith('.assets.json'))) {
    const assets = JSON.parse(fs.readFileSync(path.join(dir, manifest), 'utf8'));
    for (const asset of Object.values<any>(assets.files ?? {})) {
      for (const destination of Object.values<any>(asset.destinations ?? {})) {
        if (typeof destination.objectKey === 'string' && typeof asset.source?.path === 'string') files.set(destination.objectKey, asset.source.path);
      }
    }
  }
  return files;
}

const NESTED_OBJECT_KEY = /\/([a-f0-9]{64}\.json)"/;

/** A nested stack's template file: from its asset metadata (`cdk synth` writes it), else from the asset manifests by its URL's object key. */
function nestedTemplateFile(dir: string, resource: any, assetFiles: () => Map<string, string>): string | undefined {
  if (resource.Type !== 'AWS::CloudFormation::Stack') return undefined;
  const fromMetadata = resource.Metadata?.['aws:asset:path'];
  const objectKey = NESTED_OBJECT_KEY.exec(JSON.stringify(resource.Properties?.TemplateURL ?? ''))?.[1];
  const file = typeof fromMetadata === 'string' ? fromMetadata : objectKey ? assetFiles().get(objectKey) : undefined;
  return file !== undefined && fs.existsSync(path.join(dir, file)) ? file : undefined;
}

function readTemplate(
  dir: string, file: string, key: string, label: string, into: Map<string, TemplateEntry>, parent?: TemplateEntry['parent'],
): void {
  const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  let assetFiles: Map<string, string> | undefined;
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    const nestedFile = nestedTemplateFile(dir, resource, () => (assetFiles ??= assetFilesByObjectKey(dir)));
    if (nestedFile === undefined) continue;
    resource.Properties = { ...resource.Properties, TemplateURL: NESTED_TEMPLATE_MARKER };
    const nestedLabel = String(resource.Metadata?.['aws:cdk:path'] ?? `${label}/${logicalId}`).replace(/\.NestedStack\/.*$/, '');
    readTemplate(dir, nestedFile, `${key}/${logicalId}`, nestedLabel, into, { key, logicalId });
  }
  into.set(key, { template, label, ...(parent ? { parent } : {}) });
}
