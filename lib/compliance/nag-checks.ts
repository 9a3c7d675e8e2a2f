import * as fs from 'fs';
import * as path from 'path';
import {
  App, attachCustomSynthesis, IPolicyValidationPlugin, ISynthesisSession, PolicyValidationPluginReport, Stack, Validations,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { COMPLIANCE_PACKS, DEFAULT_PACKS, NagReport, nagReportFileName, ReportingNagPack, topLevelStack } from './nag-report';
import { CompliancePack } from '../config/types';

/** Properties of `NagChecks`. */
export interface NagChecksProps {
  /**
   * Compliance packs checked beside AwsSolutions and Serverless.
   * @default - AwsSolutions and Serverless only
   */
  readonly compliance?: CompliancePack[];
}

/** One pack over one stack, for CDK's policy validation: the findings the pack found at synthesis. */
class StackPackValidation implements IPolicyValidationPlugin {
  public readonly name: string;
  public report?: PolicyValidationPluginReport;

  public constructor(public readonly pack: ReportingNagPack, private readonly stackPath: string) {
    this.name = pack.readPackName;
  }

  public validate(): PolicyValidationPluginReport {
    if (!this.report) throw new Error(`${this.name} did not run on ${this.stackPath} during synthesis`);
    return this.report;
  }
}

/**
 * cdk-nag's packs over one stack (with its nested stacks) only, so that one client's packs never
 * check, or fail, another client's stack in the same app. Synthesis fails on any unacknowledged
 * finding. Each pack also writes its report, every rule on every resource with each
 * acknowledgement's reason, next to the stack's template: `<pack>-<stack name>-NagReport.json`
 * (cdk-nag 2's JSON report: a nested stack's report is named by its unique id), in the cloud
 * assembly folder of the stack's stage (`cdk.out/` or `cdk.out/assembly-<stage>/`).
 */
export class NagChecks extends Construct {
  /** The names of the packs checked (`AwsSolutions`, `Serverless`, `NIST.800.53.R5`, ...). */
  public readonly packNames: string[];

  public constructor(scope: Stack, id: string, props: NagChecksProps = {}) {
    super(scope, id);
    const packs = [...DEFAULT_PACKS, ...(props.compliance ?? []).map((name) => COMPLIANCE_PACKS[name])].map((create) => create());
    const validations = packs.map((pack) => new StackPackValidation(pack, scope.node.path));
    this.packNames = packs.map((pack) => pack.readPackName);
    const app = scope.node.root;
    if (!App.isApp(app)) throw new Error(`NagChecks at ${this.node.path}: the stack must be in an App, which runs the checks at synthesis`);
    Validations.of(app).addPlugins(...validations);
    // The packs run while the assembly is written (the tree is final then): CDK forbids its
    // validation plugins to write into the assembly, and the reports belong next to the templates.
    attachCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        const stacks = scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && topLevelStack(c) === scope);
        for (const validation of validations) {
          validation.report = validation.pack.validateScope(scope);
          for (const stack of stacks) {
            const report: NagReport = { lines: validation.pack.lines.get(stack) ?? [] };
            fs.writeFileSync(path.join(session.outdir, nagReportFileName(validation.name, stack)), JSON.stringify(report, undefined, 2));
          }
        }
      },
    });
  }
}
