import { Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { exampleStack, nagFindings, newApp } from './support/example';

describe('cdk-nag AwsSolutions and Serverless packs', () => {
  test('the example client stack has zero unacknowledged findings', () => {
    const app = newApp();
    exampleStack(app);
    expect(nagFindings(app)).toEqual([]);
  });

  test('the check itself catches a finding (an SNS topic that allows plain HTTP)', () => {
    const app = newApp();
    new sns.Topic(new Stack(app, 'Probe'), 'Topic');
    expect(nagFindings(app)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SNS3 at Probe\/Topic/)]));
  });
});
