import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { RecordType, TelemetryFields, TelemetryMetrics } from '../telemetry/contract';

/** Properties of `TopTenantsRules`. */
export interface TopTenantsRulesProps {
  readonly clientId: string;
  /** The agents' telemetry log groups. */
  readonly logGroupNames: string[];
}

const RULE_BODY_LIMIT = 8192;

/** A Contributor Insights rule and what it ranks. */
export interface TenantRule {
  readonly ruleName: string;
  /** The record field summed per tenant. */
  readonly valueOf: string;
  /** Which log groups it reads, when the client's log groups need several rules. */
  readonly part: number;
  readonly parts: number;
}

/**
 * Contributor Insights rules ranking tenants by cost and by tokens over the agents' telemetry log
 * groups. The tenant is read from the log line, never a metric dimension: the rules cost the same
 * for ten tenants or ten thousand.
 */
export class TopTenantsRules extends Construct {
  private static body(logGroupNames: string[], valueOf: string): string {
    return JSON.stringify({
      Schema: { Name: 'CloudWatchLogRule', Version: 1 },
      LogGroupNames: logGroupNames,
      LogFormat: 'JSON',
      Contribution: {
        Keys: [`$.${TelemetryFields.TENANT.name}`],
        ValueOf: `$.${valueOf}`,
        Filters: [{ Match: `$.${TelemetryFields.RECORD_TYPE.name}`, In: [RecordType.AI_CALL] }],
      },
      AggregateOn: 'Sum',
    });
  }

  public readonly byCost: TenantRule[];
  public readonly byTokens: TenantRule[];

  public constructor(scope: Construct, id: string, props: TopTenantsRulesProps) {
    super(scope, id);
    const logGroups = [...new Set(props.logGroupNames)];
    this.byCost = this.rules('ByCost', `${props.clientId}-ai-ops-tenants-by-cost`, TelemetryMetrics.COST_USD.name, logGroups);
    this.byTokens = this.rules('ByTokens', `${props.clientId}-ai-ops-tenants-by-tokens`, TelemetryFields.TOTAL_TOKENS.name, logGroups);
  }

  /** One rule, or several when the log groups do not fit one rule body. */
  private rules(id: string, name: string, valueOf: string, logGroups: string[]): TenantRule[] {
    const groups: string[][] = [[]];
    for (const logGroup of logGroups) {
      const current = groups[groups.length - 1];
      if (current.length > 0 && TopTenantsRules.body([...current, logGroup], valueOf).length > RULE_BODY_LIMIT) groups.push([logGroup]);
      else current.push(logGroup);
    }
    return groups.map((part, index) => {
      const ruleName = groups.length === 1 ? name : `${name}-${index + 1}`;
      new cloudwatch.CfnInsightRule(this, groups.length === 1 ? id : `${id}${index + 1}`, {
        ruleName,
        ruleState: 'ENABLED',
        ruleBody: TopTenantsRules.body(part, valueOf),
      });
      return { ruleName, valueOf, part: index + 1, parts: groups.length };
    });
  }
}
