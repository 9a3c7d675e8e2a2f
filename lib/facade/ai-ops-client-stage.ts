import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClientConfig } from '../config';
import { AiOpsStack } from './ai-ops-stack';

/** Properties of `AiOpsClientStage`. */
export interface AiOpsClientStageProps extends StageProps {
  readonly config: ClientConfig;
}

/**
 * One client as a deployable unit of a fleet: a stage holding the client's `AiOpsStack`, in the
 * account and region of its config. Each stage synthesizes into its own folder of the cloud
 * assembly (`cdk.out/assembly-<stage id>/`), so templates, nested templates and the cost report
 * of one client are never mixed with another's, and a CDK pipeline deploys it as one stage.
 * The stack keeps the name it has when deployed alone (`<client-id>-ai-ops`).
 */
export class AiOpsClientStage extends Stage {
  public readonly stack: AiOpsStack;

  public constructor(scope: Construct, id: string, props: AiOpsClientStageProps) {
    const { config, ...stageProps } = props;
    super(scope, id, {
      env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
      ...stageProps,
    });
    const stackName = AiOpsStack.stackNameFor(config.clientId);
    this.stack = new AiOpsStack(this, stackName, { config, stackName });
  }
}
