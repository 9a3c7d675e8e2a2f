import { CfnResource, Names, Stack, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks, HIPAASecurityChecks, IApplyRule, NagPack, NagPackProps, NagRuleCompliance, NagRulePostValidationStates,
  NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CompliancePack } from '../config/types';

/*
 * cdk-nag 3 reports only unacknowledged findings (to CDK's validation report) and has no report
 * files. The packs here also record every rule they evaluate, with each acknowledgement's reason,
 * in the report format and file names of cdk-nag 2's `NagReportFormat.JSON`.
 */

/** The exception reason of a line no acknowledgement covers (cdk-nag 2's wording). */
export const NO_EXCEPTION = 'N/A';

/** Compliance of one line: cdk-nag's, plus `Suppressed` for an acknowledged finding. */
export const SUPPRESSED = 'Suppressed';

/** One line of a `<pack>-<stack>-NagReport.json` file, as cdk-nag 2 wrote them. */
export interface NagReportLine {
  /** The rule, with the finding in brackets when the rule reports several (`AwsSolutions-IAM5[Resource::*]`). */
  readonly ruleId: string;
  /** The construct path of the resource. */
  readonly resourceId: string;
  /** `Compliant`, `Non-Compliant`, `Suppressed` (acknowledged) or `UNKNOWN` (the rule could not evaluate the resource). */
  readonly compliance: string;
  /** The acknowledgement's reason, `N/A` when not acknowledged. */
  readonly exceptionReason: string;
  /** `Error`, `Warning` or `Info`. */
  readonly ruleLevel: string;
  readonly ruleInfo: string;
}

/** The body of a report file. */
export interface NagReport {
  readonly lines: NagReportLine[];
}

/** A pack that also keeps a report line for every rule it evaluates on every resource. */
export interface ReportingNagPack extends NagPack {
  /** The lines of the last `validateScope`, by the resource's stack. */
  readonly lines: Map<Stack, NagReportLine[]>;
}

/** The top-level stack a resource is deployed with (its stack, or the parent of its nested stack). */
export function topLevelStack(construct: IConstruct): Stack {
  let stack = Stack.of(construct);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

type PackClass = new (scope?: IConstruct, props?: NagPackProps) => NagPack;

/** The reason an acknowledgement on the resource or one of its scopes gives, as cdk-nag matches them. */
export function acknowledgementReason(resource: IConstruct, ruleId: string): string | undefined {
  for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        // aws-cdk-lib writes ids without `::` as `Annotation::<id>` (cdk-nag strips it the same way).
        if (id.replace(/^annotation::/i, '') === ruleId) return reason;
      }
    }
  }
  return undefined;
}

function reporting(Base: PackClass): new () => ReportingNagPack {
  // Typed as one concrete pack, so that TypeScript sees NagPack's abstract members implemented.
  return class extends (Base as unknown as typeof AwsSolutionsChecks) implements ReportingNagPack {
    public readonly lines = new Map<Stack, NagReportLine[]>();
    private scope?: IConstruct;

    public validateScope(scope: IConstruct) {
      this.lines.clear();
      this.scope = scope;
      return super.validateScope(scope);
    }

    // Not the stacks of a stage inside the scope (a pipeline stack holds its clients' stages): they have their own checks.
    protected checkResource(node: CfnResource): void {
      if (topLevelStack(node) === this.scope) super.checkResource(node);
    }

    protected applyRule(params: IApplyRule): void {
      super.applyRule(params);
      const ruleId = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
      const line = (id: string, compliance: string) => {
        const reason = compliance === NagRuleCompliance.COMPLIANT ? undefined : acknowledgementReason(params.node, id);
        this.linesOf(params.node).push({
          ruleId: id,
          resourceId: params.node.node.path,
          compliance: reason === undefined ? compliance : SUPPRESSED,
          exceptionReason: reason ?? NO_EXCEPTION,
          ruleLevel: params.level,
          ruleInfo: params.info,
        });
      };
      let result;
      try {
        result = params.rule(params.node);
      } catch {
        return line(ruleId, NagRulePostValidationStates.UNKNOWN);
      }
      if (result === NagRuleCompliance.NOT_APPLICABLE) return;
      if (!Array.isArray(result)) return line(ruleId, result);
      if (result.length === 0) return line(ruleId, NagRuleCompliance.COMPLIANT);
      for (const finding of result) line(`${ruleId}[${finding}]`, NagRuleCompliance.NON_COMPLIANT);
    }

    private linesOf(node: CfnResource): NagReportLine[] {
      const stack = Stack.of(node);
      if (!this.lines.has(stack)) this.lines.set(stack, []);
      return this.lines.get(stack)!;
    }
  };
}

/** The packs every client gets. */
export const DEFAULT_PACKS: ReadonlyArray<() => ReportingNagPack> = [
  () => new (reporting(AwsSolutionsChecks))(),
  () => new (reporting(ServerlessChecks))(),
];

/** The pack of each `compliance:` name. */
export const COMPLIANCE_PACKS: Readonly<Record<CompliancePack, () => ReportingNagPack>> = {
  [CompliancePack.NIST_800_53_R5]: () => new (reporting(NIST80053R5Checks))(),
  [CompliancePack.HIPAA_SECURITY]: () => new (reporting(HIPAASecurityChecks))(),
  [CompliancePack.PCI_DSS_3_2_1]: () => new (reporting(PCIDSS321Checks))(),
};

/** The end of every report file's name. */
export const NAG_REPORT_SUFFIX = '-NagReport.json';

/** cdk-nag 2's report file name: `<pack>-<stack name>-NagReport.json`, a nested stack by its unique id. */
export function nagReportFileName(packName: string, stack: Stack): string {
  return `${packName}-${stack.nested ? Names.uniqueId(stack) : stack.stackName}${NAG_REPORT_SUFFIX}`;
}
