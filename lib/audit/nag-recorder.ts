/*
 * cdk-nag v3 runs its packs as CDK validation plugins and keeps only the open findings; the
 * v2 JSON report (every rule's result on every resource, `<Pack>-<Stack>-NagReport.json`) is
 * gone. The recorder brings it back for the audit pack: it watches each pack's rule calls during
 * synthesis, without changing what the pack decides, and writes the v2 report beside the templates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, IPolicyValidationPlugin, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IApplyRule, NagPack, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { NagReport, NagReportLine } from './model';

/** The file cdk-nag v2 wrote for one pack and stack. */
export function nagReportFileName(pack: string, stackId: string): string {
  return `${pack}-${stackId}-NagReport.json`;
}

/** The reason a rule is acknowledged on the resource or a construct above it, as cdk-nag looks it up. */
function acknowledgedReason(node: IConstruct, ruleId: string): string | undefined {
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        if (id.replace(/^annotation::/i, '') === ruleId) return String(reason);
      }
    }
  }
  return undefined;
}

/** The deployed stack a resource belongs to (a nested stack's parent). */
function deployedStack(node: IConstruct): Stack {
  let stack = Stack.of(node);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

/** A rule that threw: cdk-nag reports it as a finding unless acknowledged. */
const THREW = Symbol('threw');

interface PackState {
  readonly lines: Map<Stack, NagReportLine[]>;
}

/** Records every rule result of the cdk-nag packs applied to an app. */
export class NagReportRecorder {
  /** The cdk-nag packs of a stage, as `Validations.of(stage).addPlugins` registered them. */
  public static packsOf(stage: Stage): IPolicyValidationPlugin[] {
    return stage._validationPlugins;
  }

  private readonly packs = new Map<string, PackState>();

  /** Records the packs among `plugins` (other validation plugins are left alone). */
  public constructor(plugins: IPolicyValidationPlugin[]) {
    for (const plugin of plugins) {
      if (plugin instanceof NagPack) this.watch(plugin);
    }
  }

  /** The reports recorded, one per pack and deployed stack. */
  public reports(): Array<NagReport & { readonly file: string; readonly outdir: string }> {
    return [...this.packs].flatMap(([pack, state]) => [...state.lines].map(([stack, lines]) => ({
      pack,
      stack: stack.stackName,
      lines,
      file: nagReportFileName(pack, stack.artifactId),
      outdir: Stage.of(stack)!.outdir,
    })));
  }

  /** Writes each report beside its stack's template, unless a report of that name is there already. */
  public write(): string[] {
    const written: string[] = [];
    for (const report of this.reports()) {
      const file = path.join(report.outdir, report.file);
      if (fs.existsSync(file)) continue;
      fs.writeFileSync(file, JSON.stringify({ lines: report.lines }, null, 2));
      written.push(file);
    }
    return written;
  }

  private watch(pack: NagPack): void {
    const state: PackState = { lines: new Map() };
    this.packs.set(pack.readPackName, state);
    const target = pack as unknown as { applyRule: (params: IApplyRule) => void };
    const applyRule = target.applyRule.bind(pack);
    target.applyRule = (params: IApplyRule) => {
      let result: unknown = NagRuleCompliance.NOT_APPLICABLE;
      const rule = (node: CfnResource) => {
        try {
          result = params.rule(node);
        } catch (error) {
          result = THREW;
          throw error;
        }
        return result as ReturnType<IApplyRule['rule']>;
      };
      // cdk-nag names the rule after the function: the wrapper keeps the name.
      Object.defineProperty(rule, 'name', { value: params.rule.name });
      try {
        applyRule({ ...params, rule });
      } finally {
        this.record(state, pack.readPackName, params, result);
      }
    };
  }

  private record(state: PackState, packName: string, params: IApplyRule, result: unknown): void {
    const ruleId = `${packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const stack = deployedStack(params.node);
    const lines = state.lines.get(stack) ?? [];
    state.lines.set(stack, lines);
    const line = (id: string, compliance: string): NagReportLine => {
      const reason = compliance === NagRuleCompliance.NON_COMPLIANT ? acknowledgedReason(params.node, id) : undefined;
      return {
        ruleId: id,
        resourceId: params.node.node.path,
        compliance: reason !== undefined ? 'Suppressed' : compliance,
        ...(reason !== undefined ? { exceptionReason: reason } : {}),
        ruleLevel: String(params.level),
        ruleInfo: params.info,
      };
    };
    if (Array.isArray(result)) {
      if (result.length === 0) lines.push(line(ruleId, NagRuleCompliance.COMPLIANT));
      for (const finding of result) lines.push(line(`${ruleId}[${finding}]`, NagRuleCompliance.NON_COMPLIANT));
    } else if (result === NagRuleCompliance.COMPLIANT || result === NagRuleCompliance.NON_COMPLIANT) {
      lines.push(line(ruleId, result));
    } else if (result === THREW) {
      // The rule threw (typically on an intrinsic it cannot read): cdk-nag reports it unless acknowledged.
      lines.push({ ...line(ruleId, NagRuleCompliance.NON_COMPLIANT), compliance: acknowledgedReason(params.node, ruleId) !== undefined ? 'Suppressed' : 'UNKNOWN' });
    }
  }
}
