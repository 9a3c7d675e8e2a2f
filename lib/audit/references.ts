/*
 * Template values as a reader sees them: a Ref or GetAtt becomes the construct path of its target
 * (across nested stacks, through the parameters the parent passes), pseudo parameters become
 * <account>, <region>, and Join/Sub are put together.
 */
import { AuditTemplate } from './model';

/** A resource of one template. */
export interface ResourceRef {
  readonly template: string;
  readonly logicalId: string;
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': '<account>',
  'AWS::Region': '<region>',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

/** Deeper than any template nests intrinsics: a guard against a cycle of parameters. */
const MAX_DEPTH = 32;

/** The construct path without CDK's trailing `/Resource` (the main child of an L2 construct). */
export function readablePath(path: string): string {
  return path.replace(/\/Resource$/, '');
}

export class TemplateReader {
  private readonly byKey: Map<string, AuditTemplate>;

  public constructor(public readonly templates: AuditTemplate[]) {
    this.byKey = new Map(templates.map((t) => [t.key, t]));
  }

  public template(key: string): AuditTemplate {
    const found = this.byKey.get(key);
    if (!found) throw new Error(`no template ${key}`);
    return found;
  }

  public resource(ref: ResourceRef): Record<string, any> | undefined {
    return this.byKey.get(ref.template)?.template.Resources?.[ref.logicalId];
  }

  /** Every resource of every template, in template order. */
  public *resources(): Generator<{ ref: ResourceRef; resource: Record<string, any>; path: string }> {
    for (const t of this.templates) {
      for (const [logicalId, resource] of Object.entries<Record<string, any>>(t.template.Resources ?? {})) {
        const ref = { template: t.key, logicalId };
        yield { ref, resource, path: this.pathOf(ref) };
      }
    }
  }

  /** The construct path of a resource (`aws:cdk:path`), else `<template label>/<logical id>`. */
  public pathOf(ref: ResourceRef): string {
    const path = this.resource(ref)?.Metadata?.['aws:cdk:path'];
    return typeof path === 'string' ? path : `${this.byKey.get(ref.template)?.label ?? ref.template}/${ref.logicalId}`;
  }

  /** The readable name of a resource: its construct path without `/Resource`. */
  public nameOf(ref: ResourceRef): string {
    return readablePath(this.pathOf(ref));
  }

  /** The resource a value refers to (Ref or GetAtt, through nested stack parameters), if any. */
  public target(key: string, value: unknown, depth = 0): ResourceRef | undefined {
    if (depth > MAX_DEPTH || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const v = value as Record<string, unknown>;
    const name = typeof v.Ref === 'string' ? v.Ref
      : Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string' ? v['Fn::GetAtt'][0] : undefined;
    if (name === undefined) return undefined;
    const t = this.byKey.get(key);
    if (!t) return undefined;
    if (t.template.Resources?.[name]) return { template: key, logicalId: name };
    const passed = this.parameterValue(t, name);
    return passed ? this.target(passed.key, passed.value, depth + 1) : undefined;
  }

  /** Every resource a value refers to, anywhere inside it. */
  public targets(key: string, value: unknown): ResourceRef[] {
    const found: ResourceRef[] = [];
    const walk = (v: unknown, depth: number) => {
      if (depth > MAX_DEPTH || typeof v !== 'object' || v === null) return;
      const direct = Array.isArray(v) ? undefined : this.target(key, v);
      if (direct) {
        found.push(direct);
        return;
      }
      for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child, depth + 1);
    };
    walk(value, 0);
    return found;
  }

  /** A value as text: references as construct paths, pseudo parameters as <account> and the like. */
  public text(key: string, value: unknown, depth = 0): string {
    if (depth > MAX_DEPTH) return '…';
    if (value === null || value === undefined) return '';
    if (typeof value !== 'object') return String(value);
    if (Array.isArray(value)) return value.map((v) => this.text(key, v, depth + 1)).join(', ');
    const v = value as Record<string, any>;
    const [fn, arg] = Object.entries(v)[0] ?? [];
    if (Object.keys(v).length !== 1) return JSON.stringify(value);
    switch (fn) {
      case 'Ref': return this.refText(key, String(arg), undefined, depth);
      case 'Fn::GetAtt': {
        const [name, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return this.refText(key, String(name), String(attribute), depth);
      }
      case 'Fn::Join': return Array.isArray(arg) && Array.isArray(arg[1])
        ? arg[1].map((part: unknown) => this.text(key, part, depth + 1)).join(String(arg[0]))
        : JSON.stringify(value);
      case 'Fn::Sub': {
        const [body, variables] = Array.isArray(arg) ? arg : [arg, {}];
        return String(body).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => (variables?.[name] !== undefined
          ? this.text(key, variables[name], depth + 1)
          : this.refText(key, name.split('.')[0], name.split('.')[1], depth)));
      }
      case 'Fn::Select': return Array.isArray(arg) ? `item ${arg[0]} of (${this.text(key, arg[1], depth + 1)})` : JSON.stringify(value);
      case 'Fn::Split': return Array.isArray(arg) ? `(${this.text(key, arg[1], depth + 1)}) split at '${arg[0]}'` : JSON.stringify(value);
      case 'Fn::ImportValue': return `<export ${this.text(key, arg, depth + 1)}>`;
      case 'Fn::If': return Array.isArray(arg) ? `${this.text(key, arg[1], depth + 1)} if ${arg[0]}, else ${this.text(key, arg[2], depth + 1)}` : JSON.stringify(value);
      default: return JSON.stringify(value);
    }
  }

  private refText(key: string, name: string, attribute: string | undefined, depth: number): string {
    if (PSEUDO[name] !== undefined) return PSEUDO[name];
    if (name === 'AWS::StackName') return this.byKey.get(key)?.stackName ?? '<stack>';
    const t = this.byKey.get(key);
    if (t?.template.Resources?.[name]) {
      const path = this.nameOf({ template: key, logicalId: name });
      return attribute && attribute !== 'Arn' ? `<${path} ${attribute}>` : `<${path}>`;
    }
    const passed = t ? this.parameterValue(t, name) : undefined;
    return passed ? this.text(passed.key, passed.value, depth + 1) : `<parameter ${name}>`;
  }

  /** What the parent passes a nested stack's parameter, in the parent's template. */
  private parameterValue(t: AuditTemplate, name: string): { key: string; value: unknown } | undefined {
    if (!t.parent || t.template.Parameters?.[name] === undefined) return undefined;
    const parent = this.byKey.get(t.parent.key);
    const value = parent?.template.Resources?.[t.parent.logicalId]?.Properties?.Parameters?.[name];
    return value === undefined ? undefined : { key: t.parent.key, value };
  }
}
