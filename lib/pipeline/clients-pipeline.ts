import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { rules } from 'cdk-nag';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../acknowledge';
import { ClientConfig, SlaTier } from '../config';
import { AiOpsClientStage } from '../facade/ai-ops-client-stage';

/** One wave of client deployments: its clients deploy in parallel, after the waves before it. */
export interface ClientsPipelineWave {
  /** The wave's name, shown in the pipeline (e.g. `canary`). */
  readonly name: string;
  /** Ids of the clients deployed in this wave; each client is in exactly one wave. */
  readonly clientIds: string[];
  /**
   * Stop for a manual approval before this wave, after a step that prints the diff of its clients'
   * stacks (`cdk-ai-ops diff`) for the approver.
   * @default false
   */
  readonly manualApproval?: boolean;
}

/** Properties of `ClientsPipeline`. */
export interface ClientsPipelineProps extends StackProps {
  /** The platform repository, `owner/repo`, read through the CodeStar connection. */
  readonly repository: string;
  /** The CodeStar (CodeConnections) connection to the repository's host, already authorized in the console. */
  readonly connectionArn: string;
  /**
   * The branch that deploys.
   * @default 'main'
   */
  readonly branch?: string;
  /** Every client to deploy; each needs `account` and `region` in its config. */
  readonly clients: ClientConfig[];
  /**
   * The waves, in order.
   * @default - two waves: `standard` (every client of the standard tier), then `enterprise` (every
   * enterprise client) after a manual approval preceded by the diff of their stacks
   */
  readonly waves?: ClientsPipelineWave[];
}

/** The deployment of one client: its account, region and stage. */
interface ClientDeployment {
  readonly config: ClientConfig;
  readonly stage: AiOpsClientStage;
}

/**
 * The platform team's pipeline, in its tooling account, on CDK Pipelines (CodePipeline): the
 * platform repository through a CodeStar connection; a synth step that installs, runs the tests
 * and synthesizes every client under cdk-nag (`npx cdk synth -c client=all`); the pipeline
 * updating itself; then one stage per client deploying that client's stack into the client's
 * account and region with the roles `cdk bootstrap --trust <tooling account>` created there,
 * grouped in waves. A wave with a manual approval is preceded by a step printing what its
 * clients' stacks will change (`cdk-ai-ops diff`).
 *
 * Every client account is bootstrapped once:
 * `npx cdk bootstrap aws://<client account>/<region> --trust <tooling account> --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess`.
 */
export class ClientsPipeline extends Stack {
  /** The default waves: standard-tier clients first, enterprise clients after an approval. */
  public static defaultWaves(clients: ClientConfig[]): ClientsPipelineWave[] {
    const ids = (tier: SlaTier) => clients.filter((c) => c.slaTier === tier).map((c) => c.clientId);
    return [
      { name: 'standard', clientIds: ids(SlaTier.STANDARD) },
      { name: 'enterprise', clientIds: ids(SlaTier.ENTERPRISE), manualApproval: true },
    ].filter((wave) => wave.clientIds.length > 0);
  }

  public readonly pipeline: pipelines.CodePipeline;
  /** The artifact bucket, encrypted with `artifactKey`. */
  public readonly artifactBucket: s3.Bucket;
  public readonly artifactKey: kms.Key;
  /** Each client's stage, by client id. */
  public readonly stages: Record<string, AiOpsClientStage> = {};

  public constructor(scope: Construct, id: string, props: ClientsPipelineProps) {
    const { repository, connectionArn, branch, clients, waves, ...stackProps } = props;
    super(scope, id, stackProps);
    const plan = planWaves(clients, waves ?? ClientsPipeline.defaultWaves(clients), this.node.path);

    this.artifactKey = new kms.Key(this, 'ArtifactKey', {
      description: `cdk-ai-ops: the artifacts of the pipeline ${this.stackName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new s3.Bucket(this, 'ArtifactAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.artifactBucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.artifactKey,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const source = pipelines.CodePipelineSource.connection(repository, branch ?? 'main', {
      connectionArn,
      // A clone with history, so the diff step can compare with the commit before.
      codeBuildCloneOutput: true,
    });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      crossAccountKeys: true,
      enableKeyRotation: true,
      artifactBucket: this.artifactBucket,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        installCommands: ['npm ci'],
        commands: ['npm test', 'npx cdk synth -c client=all'],
      }),
    });

    for (const wave of plan) {
      const pre: pipelines.Step[] = [];
      if (wave.manualApproval) {
        const diff = new pipelines.ShellStep(`Diff-${wave.name}`, {
          input: source,
          installCommands: ['npm ci', 'git fetch --unshallow 2>/dev/null || true'],
          // Exit 1 means "changed": that is what the approver reads, not a failure.
          commands: wave.deployments.map(({ config }) => `npx cdk-ai-ops diff -c client=${config.clientId} --against HEAD~1 || test $? -eq 1`),
        });
        const approval = new pipelines.ManualApprovalStep(`Approve-${wave.name}`, {
          comment: `Deploy ${wave.deployments.map((d) => d.config.clientId).join(', ')}: the changes to their stacks are in the log of the step ${diff.id}.`,
        });
        approval.addStepDependency(diff);
        pre.push(diff, approval);
      }
      const pipelineWave = this.pipeline.addWave(wave.name, { pre });
      for (const { config } of wave.deployments) {
        const stage = new AiOpsClientStage(this, config.clientId, {
          config,
          env: { account: config.account, region: config.region },
        });
        this.stages[config.clientId] = stage;
        pipelineWave.addStage(stage);
      }
    }
    this.pipeline.buildPipeline();
    this.acknowledgePipelineWildcards();
  }

  /**
   * CDK Pipelines writes the policies of its own roles; each wildcard in them is acknowledged on
   * its policy with the reason it is needed. A wildcard of another shape stays a finding.
   */
  private acknowledgePipelineWildcards(): void {
    const policies = this.pipeline.node.findAll().filter((node): node is iam.CfnPolicy => node instanceof iam.CfnPolicy);
    for (const policy of policies) {
      const findings = rules.iam.IAMNoWildcardPermissions(policy);
      if (!Array.isArray(findings)) continue;
      for (const finding of findings) {
        const reason = PIPELINE_WILDCARD_REASONS.find(([pattern]) => pattern.test(finding))?.[1];
        if (reason) acknowledgeFinding(policy, `AwsSolutions-IAM5[${finding}]`, reason);
      }
    }
  }
}

/** Why CDK Pipelines' own roles hold each shape of wildcard (finding pattern, reason). */
const PIPELINE_WILDCARD_REASONS: Array<[RegExp, string]> = [
  [/^(Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*|Resource::<Artifacts[0-9A-F]{8}\.Arn>\/\*)$/,
    'CDK Pipelines grants its roles read/write on the objects of the pipeline\'s own artifact bucket (per-execution artifacts, nothing else is stored there).'],
  [/^Action::kms:(ReEncrypt|GenerateDataKey)\*$/,
    'Encrypting and decrypting pipeline artifacts with the pipeline\'s own artifact key, the only key in the statement.'],
  [/^Resource::arn:<AWS::Partition>:(logs|codebuild):[a-z0-9-]+:\d{12}:(log-group:\/aws\/codebuild\/|report-group\/)(<[A-Za-z0-9]+>)?(:?\*|-\*)$/,
    'CodeBuild writes to log groups and report groups named after its own project; the wildcard is their streams and reports, created at run time.'],
  [/^Resource::arn:\*:iam::\d{12}:role\/\*$/,
    'Self-mutation assumes only the CDK bootstrap roles of the tooling account (the statement\'s condition: tag aws-cdk:bootstrap-role).'],
  [/^Resource::\*$/,
    'Self-mutation reads stack state (cloudformation:DescribeStacks) and lists the bootstrap bucket, and asset publishing starts its CodeBuild builds; CDK Pipelines names neither in advance.'],
];

interface PlannedWave {
  readonly name: string;
  readonly manualApproval: boolean;
  readonly deployments: Array<Pick<ClientDeployment, 'config'>>;
}

/** Checks that every client is in exactly one wave and has an account and region; the waves with their configs. */
function planWaves(clients: ClientConfig[], waves: ClientsPipelineWave[], where: string): PlannedWave[] {
  const byId = new Map(clients.map((c) => [c.clientId, c]));
  const placed = new Map<string, string>();
  const problems: string[] = [];
  for (const client of clients) {
    if (!client.account || !client.region) {
      problems.push(`client ${client.clientId} has no ${!client.account ? 'account' : 'region'}: set \`account\` and \`region\` in clients/${client.clientId}.yaml, the pipeline deploys there`);
    }
  }
  for (const wave of waves) {
    for (const id of wave.clientIds) {
      if (!byId.has(id)) problems.push(`wave ${wave.name} names client ${id}, which is not among the clients (${[...byId.keys()].join(', ')})`);
      else if (placed.has(id)) problems.push(`client ${id} is in two waves (${placed.get(id)} and ${wave.name}); a client deploys once`);
      else placed.set(id, wave.name);
    }
  }
  for (const id of byId.keys()) if (!placed.has(id)) problems.push(`client ${id} is in no wave: add it to one`);
  if (problems.length > 0) throw new Error(`ClientsPipeline at ${where}:\n  ${problems.join('\n  ')}`);
  return waves.filter((wave) => wave.clientIds.length > 0).map((wave) => ({
    name: wave.name,
    manualApproval: wave.manualApproval ?? false,
    deployments: wave.clientIds.map((id) => ({ config: byId.get(id)! })),
  }));
}
