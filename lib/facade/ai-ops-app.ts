import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Stack, Stage } from 'aws-cdk-lib';
import { ClientConfig } from '../config';
import { AiOpsClientStage } from './ai-ops-client-stage';
import { AiOpsStack } from './ai-ops-stack';
import { ALL_CLIENTS, CLIENT_CONTEXT, loadClientsFromContext } from './client-selection';
import { MonitoringCostReport } from './monitoring-cost-report';
import { NagChecks } from '../compliance/nag-checks';
import { awsBudgetCoverage } from '../config/defaults';
import { ClientConfigError } from '../config/loader';
import { ClientsPipeline, ClientsPipelineWave } from '../pipeline/clients-pipeline';
import { MonitoringCostEstimate } from '../pricing/monitoring-cost';

/** Where and from what `AiOpsApp` builds the platform team's `ClientsPipeline`. */
export interface AiOpsAppPipelineOptions {
  /** The tooling account the pipeline runs in. */
  readonly account: string;
  /** The pipeline's region. */
  readonly region: string;
  /** The platform repository, `owner/repo`. */
  readonly repository: string;
  /** The CodeStar (CodeConnections) connection to the repository's host. */
  readonly connectionArn: string;
  /**
   * The branch that deploys.
   * @default 'main'
   */
  readonly branch?: string;
  /**
   * The waves, in order.
   * @default - `ClientsPipeline.defaultWaves`: standard-tier clients, then enterprise clients after an approval
   */
  readonly waves?: ClientsPipelineWave[];
}

/** Properties of `AiOpsApp`. */
export interface AiOpsAppProps extends AppProps {
  /**
   * The folder the clients folder (`-c clientsDir=<dir>`, default `clients/`) is relative to.
   * @default - the current working directory (where `cdk` runs)
   */
  readonly projectRoot?: string;

  /**
   * Apply cdk-nag's AwsSolutions and Serverless packs to every client, and the compliance packs
   * its config names (`compliance:`) to that client's stack only: synthesis fails on any
   * unacknowledged finding. Each pack writes its `<pack>-<stack>-NagReport.json` (see `NagChecks`).
   * @default true
   */
  readonly nagPacks?: boolean;

  /**
   * Deploy the fleet through a `ClientsPipeline` (stack `AiOpsPipeline`): with `-c client=all`
   * the app builds the pipeline, holding one stage per client, instead of standalone stages.
   * `npx cdk deploy -c client=all AiOpsPipeline` once; the pipeline updates itself after that.
   * @default - no pipeline: `-c client=all` builds one stage per client for `cdk deploy`
   */
  readonly pipeline?: AiOpsAppPipelineOptions;
}

/**
 * The CDK app of a platform repository: one client per YAML file of `clients/`.
 *
 * `cdk synth` builds `clients/example.yaml`; `-c client=<id>` builds `clients/<id>.yaml` as the
 * stack `<id>-ai-ops`; `-c client=all` builds every client in one process, each as an
 * `AiOpsClientStage` in the account and region of its config, in its own folder of the cloud
 * assembly (`cdk.out/assembly-<id>/`; deploy one with `cdk deploy '<id>/*'`).
 *
 * A platform repository's `bin/app.ts` is `AiOpsApp.run()`.
 */
export class AiOpsApp extends App {
  /** The id and name of the pipeline stack. */
  public static readonly PIPELINE_STACK = 'AiOpsPipeline';
  /** The id of each stack's `NagChecks`. */
  public static readonly NAG_CHECKS = 'NagChecks';

  /**
   * Builds the app, synthesizes it and prints each client's monitoring cost in one line (stderr).
   * A config mistake prints its problems (file, line, JSON path, expected, found) and exits 1,
   * without a stack trace.
   */
  public static run(props: AiOpsAppProps = {}): void {
    let app: AiOpsApp;
    try {
      app = new AiOpsApp(props);
    } catch (error) {
      if (error instanceof ClientConfigError) {
        console.error(error.message);
        process.exit(1);
      }
      throw error;
    }
    app.synth();
    for (const stack of app.stacks) {
      console.error(app.costLine(stack));
      console.error(awsBudgetCoverage(stack.aiOps.config));
    }
  }

  /** The client configs this app builds, sorted by client id when there are several. */
  public readonly configs: ClientConfig[];
  /** One stack per client, in the order of `configs`. */
  public readonly stacks: AiOpsStack[];

  /** @throws ClientConfigError (not part of the jsii API) for a missing or invalid config */
  public constructor(props: AiOpsAppProps = {}) {
    const { projectRoot, nagPacks, pipeline, ...appProps } = props;
    super(appProps);
    this.configs = loadClientsFromContext(this.node, projectRoot ?? process.cwd());
    const fleet = this.node.tryGetContext(CLIENT_CONTEXT) === ALL_CLIENTS;
    const otherStacks: Stack[] = [];
    if (fleet && pipeline) {
      const { account, region, ...pipelineProps } = pipeline;
      const clientsPipeline = new ClientsPipeline(this, AiOpsApp.PIPELINE_STACK, {
        ...pipelineProps, env: { account, region }, clients: this.configs,
      });
      otherStacks.push(clientsPipeline);
      this.stacks = this.configs.map((config) => clientsPipeline.stages[config.clientId].stack);
    } else {
      this.stacks = this.configs.map((config) => (fleet
        ? new AiOpsClientStage(this, config.clientId, { config }).stack
        : new AiOpsStack(this, AiOpsStack.stackNameFor(config.clientId), { config })));
    }
    if (nagPacks ?? true) {
      this.stacks.forEach((stack, i) => new NagChecks(stack, AiOpsApp.NAG_CHECKS, { compliance: this.configs[i].compliance }));
      for (const stack of otherStacks) new NagChecks(stack, AiOpsApp.NAG_CHECKS);
    }
  }

  /** The one-line price of watching a client, read from its synthesized cost report. */
  private costLine(stack: AiOpsStack): string {
    const clientId = this.configs[this.stacks.indexOf(stack)].clientId;
    const reportFile = path.join(Stage.of(stack)!.outdir, MonitoringCostReport.fileName(clientId));
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as MonitoringCostEstimate;
    const count = (item: string) => report.items.find((line) => line.item === item)?.quantity ?? 0;
    return `cdk-ai-ops ${clientId}: monitoring costs about USD ${report.totalMonthlyUsd.toFixed(2)} a month `
      + `(${count('custom metrics')} custom metrics, ${count('standard-resolution alarm metrics')} alarm metrics, `
      + `${count('anomaly-detection alarms')} anomaly detectors, `
      + `${count('composite alarms')} composite alarms, ${count('dashboards')} dashboards, `
      + `${count('Contributor Insights rules')} Contributor Insights rules, ${count('telemetry log ingestion (GB)')} GB of telemetry logs) `
      + `at us-east-1 list prices; details in ${path.relative(process.cwd(), reportFile)}`;
  }
}
