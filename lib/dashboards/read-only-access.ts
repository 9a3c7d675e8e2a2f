import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../acknowledge';

/** Properties of `ReadOnlyAccess`. */
export interface ReadOnlyAccessProps {
  readonly clientId: string;
  /** The agents' telemetry log groups. */
  readonly logGroupNames: string[];
  /**
   * Who may assume the role.
   * @default - principals of this account whose own IAM policies allow sts:AssumeRole on it
   */
  readonly assumedBy?: iam.IPrincipal;
}

/** Log groups per managed policy: a managed policy holds at most 6,144 characters. */
const LOG_GROUPS_PER_POLICY = 40;

/**
 * Read-only access for the client's own team to this client's dashboards, alarms and tenant
 * rankings (all named with the client id as prefix) and to its telemetry log groups: managed
 * policies and a role that carries them.
 */
export class ReadOnlyAccess extends Construct {
  public readonly policies: iam.ManagedPolicy[] = [];
  public readonly role: iam.Role;

  public constructor(scope: Construct, id: string, props: ReadOnlyAccessProps) {
    super(scope, id);
    const { clientId } = props;
    const cloudwatchArn = (resource: string) => `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    // Dashboards are global: no region in their ARN.
    const dashboards = `arn:${Aws.PARTITION}:cloudwatch::${Aws.ACCOUNT_ID}:dashboard/${clientId}-ai-ops-*`;
    const alarms = cloudwatchArn(`alarm:${clientId}-*`);
    const insightRules = cloudwatchArn(`insight-rule/${clientId}-ai-ops-*`);

    const monitoring = new iam.ManagedPolicy(this, 'Policy', {
      description: `cdk-ai-ops ${clientId}: read this client's AI operations dashboards, alarms and tenant rankings`,
      statements: [
        new iam.PolicyStatement({ sid: 'ReadDashboards', actions: ['cloudwatch:GetDashboard'], resources: [dashboards] }),
        new iam.PolicyStatement({ sid: 'ReadAlarms', actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], resources: [alarms] }),
        new iam.PolicyStatement({ sid: 'ReadTenantRankings', actions: ['cloudwatch:GetInsightRuleReport'], resources: [insightRules] }),
        new iam.PolicyStatement({
          sid: 'ReadMetricsAndQueryResults',
          // These actions have no resource-level permissions in IAM.
          actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics', 'cloudwatch:ListDashboards', 'logs:GetQueryResults', 'logs:DescribeLogGroups'],
          resources: ['*'],
        }),
      ],
    });
    acknowledgeFinding(monitoring, 'AwsSolutions-IAM5[Resource::*]',
      'GetMetricData, ListMetrics, ListDashboards, GetQueryResults and DescribeLogGroups support no resource-level permissions; all are read-only.');
    const prefixed = 'every one of this client\'s, and only those, is named with the client id as prefix; read-only actions.';
    acknowledgeFinding(monitoring, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch::<AWS::AccountId>:dashboard/${clientId}-ai-ops-*]`, `Dashboards: ${prefixed}`);
    acknowledgeFinding(monitoring, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:${clientId}-*]`, `Alarms: ${prefixed}`);
    acknowledgeFinding(monitoring, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:insight-rule/${clientId}-ai-ops-*]`, `Contributor Insights rules: ${prefixed}`);
    this.policies.push(monitoring);

    const logGroups = [...new Set(props.logGroupNames)];
    for (let i = 0; i < logGroups.length; i += LOG_GROUPS_PER_POLICY) {
      const part = logGroups.slice(i, i + LOG_GROUPS_PER_POLICY);
      const policy = new iam.ManagedPolicy(this, i === 0 ? 'LogsPolicy' : `LogsPolicy${i / LOG_GROUPS_PER_POLICY + 1}`, {
        description: `cdk-ai-ops ${clientId}: query the agents' telemetry log groups`,
        statements: [new iam.PolicyStatement({
          sid: 'QueryTelemetryLogs',
          actions: ['logs:StartQuery', 'logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:DescribeLogStreams'],
          resources: part.map((name) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}:*`),
        })],
      });
      for (const name of part) {
        acknowledgeFinding(policy, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${name}:*]`,
          'The log streams of one telemetry log group: streams are created by Lambda or the container runtime and cannot be named in advance.');
      }
      this.policies.push(policy);
    }

    this.role = new iam.Role(this, 'Role', {
      description: `cdk-ai-ops ${clientId}: read-only access for the client's team to its AI operations dashboards, alarms and telemetry`,
      assumedBy: props.assumedBy ?? new iam.AccountRootPrincipal(),
      managedPolicies: this.policies,
    });
  }
}
