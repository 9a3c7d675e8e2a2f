import { Template, Match } from 'aws-cdk-lib/assertions';
import { ClientConfig, ClientConfigLoader } from '../../lib/config';
import { ClientsPipeline } from '../../lib/pipeline';
import { exampleConfig, nagFindings, newApp } from '../support/example';

const TOOLING = { account: '999999999999', region: 'us-east-1' };
const CONNECTION = 'arn:aws:codeconnections:us-east-1:999999999999:connection/0f8e6b1c-1111-2222-3333-444455556666';

/** The example client under another id, account, region and tier. */
function client(clientId: string, account: string, region: string, slaTier: 'standard' | 'enterprise'): ClientConfig {
  const example = exampleConfig();
  return ClientConfigLoader.fromObject({ ...JSON.parse(JSON.stringify(example)), clientId, account, region, slaTier }, `${clientId} (test)`);
}

const CLIENTS = [
  client('alpha', '111111111111', 'us-east-1', 'standard'),
  client('bravo', '222222222222', 'us-east-1', 'standard'),
  client('charlie', '333333333333', 'us-east-1', 'enterprise'),
];

function pipelineTemplate(props: Partial<ConstructorParameters<typeof ClientsPipeline>[2]> = {}) {
  const app = newApp();
  const stack = new ClientsPipeline(app, 'AiOpsPipeline', { env: TOOLING, repository: 'acme/platform', connectionArn: CONNECTION, clients: CLIENTS, ...props });
  return { app, stack };
}

/** The pipeline's stages: name and actions (name, category, run order, role). */
function stagesOf(template: Template): Array<{ name: string; actions: any[] }> {
  const [pipeline] = Object.values(template.findResources('AWS::CodePipeline::Pipeline')) as any[];
  return pipeline.Properties.Stages.map((s: any) => ({ name: s.Name, actions: s.Actions }));
}

describe('ClientsPipeline', () => {
  const { stack } = pipelineTemplate();
  const template = Template.fromStack(stack);
  const stages = stagesOf(template);

  test('source through the CodeStar connection, synth, self-update, then one wave per tier: standard before enterprise', () => {
    // CodePipeline stages: a wave of one client is named after its client (CDK Pipelines).
    expect(stages.map((s) => s.name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'standard', 'charlie']);
    const [source] = stages[0].actions;
    expect(source.ActionTypeId).toMatchObject({ Category: 'Source', Provider: 'CodeStarSourceConnection' });
    expect(source.Configuration).toMatchObject({ ConnectionArn: CONNECTION, FullRepositoryId: 'acme/platform', BranchName: 'main' });
  });

  test('the synth step installs, tests and synthesizes every client (under cdk-nag, which the app applies)', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: {
        BuildSpec: Match.serializedJson(Match.objectLike({
          phases: { install: { commands: ['npm ci'] }, build: { commands: ['npm test', 'npx cdk synth -c client=all'] } },
        })),
      },
    });
  });

  test("one stage per client, deploying its stack with the deploy role cdk bootstrap created in the client's account and region", () => {
    const deploys = (stage: string) => stages.find((s) => s.name === stage)!.actions
      .filter((a) => a.ActionTypeId.Provider === 'CloudFormation' && a.Configuration.ActionMode === 'CHANGE_SET_REPLACE');
    expect(deploys('standard').map((a) => a.Configuration.StackName).sort()).toEqual(['alpha-ai-ops', 'bravo-ai-ops']);
    expect(deploys('charlie').map((a) => a.Configuration.StackName)).toEqual(['charlie-ai-ops']);
    for (const [stage, id, account] of [['standard', 'alpha', '111111111111'], ['standard', 'bravo', '222222222222'], ['charlie', 'charlie', '333333333333']]) {
      const action = deploys(stage).find((a) => a.Configuration.StackName === `${id}-ai-ops`);
      expect(JSON.stringify(action.RoleArn)).toContain(`:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-us-east-1`);
      expect(JSON.stringify(action.Configuration.RoleArn)).toContain(`:iam::${account}:role/cdk-hnb659fds-cfn-exec-role-${account}-us-east-1`);
    }
  });

  test("the enterprise wave stops for a manual approval, after a step printing its clients' diff", () => {
    const enterprise = stages.find((s) => s.name === 'charlie')!.actions;
    const diff = enterprise.find((a) => a.Name === 'Diff-enterprise');
    const approval = enterprise.find((a) => a.ActionTypeId.Category === 'Approval');
    const deploy = enterprise.find((a) => a.ActionTypeId.Provider === 'CloudFormation');
    expect(diff.ActionTypeId.Provider).toBe('CodeBuild');
    expect(approval.Configuration.CustomData).toMatch(/Deploy charlie: the changes to their stacks are in the log of the step Diff-enterprise/);
    expect(diff.RunOrder).toBeLessThan(approval.RunOrder);
    expect(approval.RunOrder).toBeLessThan(deploy.RunOrder);
    expect(stages.find((s) => s.name === 'standard')!.actions.some((a: any) => a.ActionTypeId.Category === 'Approval')).toBe(false);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Source: {
        BuildSpec: Match.serializedJson(Match.objectLike({
          phases: Match.objectLike({ build: { commands: ['npx cdk-ai-ops diff -c client=charlie --against HEAD~1 || test $? -eq 1'] } }),
        })),
      },
    });
  });

  test('the artifacts: a rotated customer-managed key, versioned, access-logged', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] },
      LoggingConfiguration: Match.anyValue(),
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('explicit waves: a canary first, each client once', () => {
    const { stack: custom } = pipelineTemplate({
      waves: [
        { name: 'canary', clientIds: ['bravo'] },
        { name: 'rest', clientIds: ['alpha', 'charlie'], manualApproval: true },
      ],
    });
    const custom_ = stagesOf(Template.fromStack(custom));
    expect(custom_.map((s) => s.name).slice(4)).toEqual(['bravo', 'rest']);
    expect(custom_[5].actions.filter((a: any) => a.ActionTypeId.Category === 'Approval')).toHaveLength(1);
  });

  test('a client in no wave, in two waves, unknown, or without an account is refused with the fix', () => {
    expect(() => pipelineTemplate({ waves: [{ name: 'a', clientIds: ['alpha', 'zulu'] }, { name: 'b', clientIds: ['alpha'] }] })).toThrow(
      /wave a names client zulu, which is not among the clients \(alpha, bravo, charlie\)[\s\S]*client alpha is in two waves \(a and b\)[\s\S]*client bravo is in no wave/);
    const envAgnostic = exampleConfig();
    expect(() => pipelineTemplate({ clients: [envAgnostic] })).toThrow(/client example has no account: set `account` and `region` in clients\/example.yaml/);
  });

  test('cdk-nag: the pipeline and every client stage have no unacknowledged finding', () => {
    const { app } = pipelineTemplate();
    expect(nagFindings(app)).toEqual([]);
  });
});
