import { NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AiOps } from '../../lib/facade';

/** Values substituted for pseudo parameters when a test renders a template string. */
const PSEUDO: Record<string, string> = { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '111122223333', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

/** Renders an `Fn::Join` of strings and pseudo-parameter `Ref`s into the string CloudFormation would deploy. */
export function rendered(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(rendered).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref && PSEUDO[ref]) return PSEUDO[ref];
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** Every dashboard of a template: name and parsed body. */
export function dashboardsOf(template: Template): Array<{ name: string; body: any; bodyBytes: number }> {
  return Object.values(template.findResources('AWS::CloudWatch::Dashboard')).map((resource: any) => {
    const text = rendered(resource.Properties.DashboardBody);
    return { name: resource.Properties.DashboardName, body: JSON.parse(text), bodyBytes: Buffer.byteLength(text) };
  });
}

/** The template of each agent's nested stack, by agent id. */
export function agentTemplates(aiOps: AiOps): Record<string, Template> {
  return Object.fromEntries(aiOps.agents.map((agent) => [agent.node.scope!.node.id.replace(/^Agent-/, ''), Template.fromStack(agent.node.scope as NestedStack)]));
}

/** Every alarm of a template, by name. */
export function alarmsOf(template: Template): Record<string, any> {
  return Object.fromEntries(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => [r.Properties.AlarmName, r.Properties]));
}

/** The root stack and every nested stack under it (the published testing helper). */
export { stacksUnder as allStacks } from '../../lib/testing';
