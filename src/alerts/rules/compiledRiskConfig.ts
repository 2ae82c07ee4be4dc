import { parseRiskConfig, RiskConfig } from "./riskConfig";
import { compileSensitiveRule, CompiledSensitiveRule } from "./sensitiveContent";

/** A validated config with its keyword automata built; build once per config version. */
export interface CompiledRiskConfig {
  config: RiskConfig;
  sensitive: CompiledSensitiveRule[];
}

export function compileRiskConfig(input: unknown): CompiledRiskConfig {
  const config = parseRiskConfig(input);
  return { config, sensitive: config.sensitive.map(compileSensitiveRule) };
}
