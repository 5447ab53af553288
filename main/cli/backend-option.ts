import { Option } from 'commander';
import { backendRequests } from '../contract/backend-request';

/** The --backend option of the commands that start runs: one of the contract's backend requests, `auto` by default. */
export function backendOption(description = 'force a TensorFlow.js backend'): Option {
  return new Option('--backend <name>', description).choices(backendRequests).default('auto');
}
