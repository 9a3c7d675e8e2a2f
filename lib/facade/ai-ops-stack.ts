import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ClientConfig } from '../config';
import { AiOps } from './ai-ops';

/** Properties of a client's stack. */
export interface AiOpsStackProps extends StackProps {
  readonly config: ClientConfig;
}

/**
 * One client's stack: the `AiOps` facade in the client's account and region (or
 * environment-agnostic when the config names neither).
 */
export class AiOpsStack extends Stack {
  /** The stack name a client's stack gets by default. */
  public static stackNameFor(clientId: string): string {
    return `${clientId}-ai-ops`;
  }

  public readonly aiOps: AiOps;

  public constructor(scope: Construct, id: string, props: AiOpsStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, {
      env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
      description: `cdk-ai-ops: operations of ${config.displayName}'s AI agents (client ${config.clientId})`,
      ...stackProps,
    });
    this.aiOps = new AiOps(this, 'AiOps', config);
  }
}
