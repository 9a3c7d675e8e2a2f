import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ClientConfig, ClientConfigLoader, OperatingPosture } from '../config';
import { PriceCatalog } from '../pricing';
import { TelemetryContract } from '../telemetry';

/** Properties of the `AiOps` facade: a client config plus construct-only options. */
export interface AiOpsProps extends ClientConfig {
  /**
   * Customer-managed key that encrypts every topic, queue, bucket and log group the capabilities create.
   * @default - a new key with yearly rotation, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Prices used for cost estimates and reports; the config's `priceOverrides` are applied on top.
   * @default PriceCatalog.builtIn()
   */
  readonly priceCatalog?: PriceCatalog;
}

/** Tag put on every resource of a client's stack, for cost allocation and audits. */
export const CLIENT_TAG = 'cdk-ai-ops:client';

/**
 * Everything that operates one client's AI agents, built from the client's config. Each
 * capability is also usable on its own; this facade wires them to one key and one config.
 */
export class AiOps extends Construct {
  /** The validated client config. */
  public readonly config: ClientConfig;
  /** Key encrypting the data at rest of every capability. */
  public readonly encryptionKey: kms.IKey;
  /** CloudWatch namespace of the client's telemetry. */
  public readonly metricNamespace: string;
  /** Operating posture in force (the config's, or `primary`). */
  public readonly posture: OperatingPosture;
  /** Price catalog with the client's overrides applied. */
  public readonly priceCatalog: PriceCatalog;

  public constructor(scope: Construct, id: string, props: AiOpsProps) {
    super(scope, id);
    const { encryptionKey, priceCatalog, ...config } = props;
    const basePrices = priceCatalog ?? PriceCatalog.builtIn();
    // Props built in code get the same validation, with the same messages, as YAML files.
    this.config = ClientConfigLoader.fromObject(config, `AiOps props at ${this.node.path}`, basePrices);
    this.priceCatalog = basePrices.withOverrides(this.config.priceOverrides ?? []);
    this.metricNamespace = this.config.metricNamespace ?? TelemetryContract.DEFAULT_NAMESPACE;
    this.posture = this.config.posture ?? OperatingPosture.PRIMARY;

    this.encryptionKey = encryptionKey ?? new kms.Key(this, 'EncryptionKey', {
      description: `cdk-ai-ops ${this.config.clientId}: encrypts alert topics, queues, report buckets and logs`,
      alias: `alias/cdk-ai-ops/${this.config.clientId}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Tags.of(this).add(CLIENT_TAG, this.config.clientId);
  }
}
