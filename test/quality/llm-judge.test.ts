import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { JUDGE_ENV, LlmJudge } from '../../lib/quality';
import { nagFindings, newApp } from '../support/example';

/** A judge on its own, in a minimal stack (GIVEN for every test). */
function judgeStack(judgeModelId = 'us.anthropic.claude-haiku-4-5-20251001-v1:0') {
  const app = newApp();
  const stack = new Stack(app, 'Judge', { env: { account: '111122223333', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const judge = new LlmJudge(stack, 'GroundedAnswerJudge', {
    clientId: 'example',
    evaluatorId: 'grounded-answer-judge',
    evaluatorVersion: '2026-11-03',
    rubric: 'A passing reply answers the question using only the knowledge-base passages given.',
    judgeModelId,
    encryptionKey: key,
  });
  return { app, stack, judge };
}

describe('LlmJudge', () => {
  test('an encrypted, TLS-only sample queue with a dead-letter queue after three receives', () => {
    const template = Template.fromStack(judgeStack().stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'example-ai-ops-judge-grounded-answer-judge',
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 86400,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'example-ai-ops-judge-grounded-answer-judge-dlq', KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('a Node.js 24 function fed by the queue with partial batch failures, capped concurrency, and the judge settings in its environment', () => {
    const template = Template.fromStack(judgeStack().stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          [JUDGE_ENV.MODEL_ID]: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
          [JUDGE_ENV.EVALUATOR_ID]: 'grounded-answer-judge',
          [JUDGE_ENV.EVALUATOR_VERSION]: '2026-11-03',
          [JUDGE_ENV.RUBRIC]: Match.stringLikeRegexp('^A passing reply'),
          [JUDGE_ENV.PASS_SCORE]: '0.7',
          CDK_AI_OPS_NAMESPACE: 'CdkAiOps',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 365 });
  });

  test('may invoke only the judge model: the inference profile and the foundation model it routes to', () => {
    const template = Template.fromStack(judgeStack().stack);
    const policies = JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies).toContain('inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(policies).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    const direct = JSON.stringify(Template.fromStack(judgeStack('anthropic.claude-haiku-4-5-20251001-v1:0').stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(direct).toContain(':bedrock:",{"Ref":"AWS::Region"},"::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(direct).not.toContain('inference-profile');
  });

  test('grantSendSamples lets an agent send samples and nothing else', () => {
    const { stack, judge } = judgeStack();
    const agentRole = new iam.Role(stack, 'AgentRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    judge.grantSendSamples(agentRole);
    const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^AgentRole') }] } }));
    expect(statements).toContain('sqs:SendMessage');
    expect(statements).not.toContain('sqs:ReceiveMessage');
  });

  test('refuses a pass score or concurrency out of range, naming the construct', () => {
    const stack = new Stack(newApp(), 'Bad');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const base = { clientId: 'example', evaluatorId: 'j', evaluatorVersion: '1', rubric: 'r', judgeModelId: 'm', encryptionKey: key };
    expect(() => new LlmJudge(stack, 'A', { ...base, passScore: 1.5 })).toThrow('LlmJudge Bad/A: passScore must be above 0 and at most 1, found 1.5');
    expect(() => new LlmJudge(stack, 'B', { ...base, maxConcurrency: 1 })).toThrow(/LlmJudge Bad\/B: maxConcurrency must be a whole number from 2 to 1000/);
  });

  test('synthesizes with zero unacknowledged cdk-nag findings', () => {
    const { app } = judgeStack();
    expect(nagFindings(app)).toEqual([]);
  });
});
