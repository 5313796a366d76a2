/** A function's config.json, as the platform reads it. */
export interface TimerTrigger {
  name: string;
  type: 'timer';
  config: string;
}

export interface FunctionConfig {
  permissions?: { openapi?: string[] };
  triggers?: TimerTrigger[];
  timeout?: number;
}
