/** Inference parameters a variant fixes. Unset ones are left to the provider's defaults. */
export interface InferenceParams {
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly topP?: number;
}

/** A bundle of model id, prompt version and inference parameters: what a rollout swaps. */
export interface Variant {
  /** Stable id of the bundle, recorded with every call it serves (the telemetry `variant` field). */
  readonly id: string;
  /** Model id as sent to the provider. */
  readonly model: string;
  readonly promptVersion: string;
  readonly params: InferenceParams;
}

/** Which side of a rollout a variant is. */
export type VariantRole = 'baseline' | 'candidate';

/** Where the flag a choice was made from came from. */
export type FlagOrigin =
  /** Fetched within the poll interval. */
  | 'appconfig'
  /** The last known flag, served while AppConfig is unreachable or sent an unusable document. */
  | 'cache'
  /** No flag was ever read for the route: the caller's local baseline. */
  | 'local-baseline';

/** What `chooseVariant` decided for one request. */
export interface VariantChoice {
  /** The variant that serves the user. */
  readonly variant: Variant;
  readonly role: VariantRole;
  readonly origin: FlagOrigin;
  /**
   * The candidate to call in the background for shadow evaluation, when this request is in the flag's
   * shadow sample and the baseline serves it. The user never sees its output.
   */
  readonly shadow?: Variant;
  /** Spread into the telemetry helper's inputs so each record names the variant that served the call. */
  readonly telemetry: { readonly variant: string };
}
