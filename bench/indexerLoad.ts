/**
 * Event load for the indexer benchmark: a small contract that, in one transaction, makes hundreds of deposits into
 * a vault for distinct receivers (Transfer + Deposited each) and queues withdrawals (Transfer + WithdrawalRequested),
 * so a chain of 100,000+ Surety events is built in a minute instead of an hour of single transactions.
 */
import { createRequire } from 'node:module'
import type { Abi, Address, Hex } from 'viem'

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
interface IVault {
  function deposit(uint256 assets, address receiver) external returns (uint256);
  function requestWithdrawal(uint256 shares) external returns (uint64);
}
interface IToken { function approve(address spender, uint256 amount) external returns (bool); }
contract EventLoad {
  function run(address token, address vault, uint256 n, uint256 assets, uint256 salt, uint256 withdrawEvery) external {
    IToken(token).approve(vault, type(uint256).max);
    for (uint256 i; i < n; ++i) {
      IVault(vault).deposit(assets, address(uint160(uint256(keccak256(abi.encode(salt, i))))));
      if (withdrawEvery != 0 && i % withdrawEvery == 0) {
        uint256 shares = IVault(vault).deposit(assets, address(this));
        IVault(vault).requestWithdrawal(shares / 2);
      }
    }
  }
}`

export function compileEventLoad(): { abi: Abi; bytecode: Hex } {
  const solc = createRequire(import.meta.url)('solc')
  const input = {
    language: 'Solidity',
    sources: { 'EventLoad.sol': { content: SOURCE } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  }
  const out = JSON.parse(solc.compile(JSON.stringify(input)))
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
  if (errors.length)
    throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'))
  const c = out.contracts['EventLoad.sol'].EventLoad
  return { abi: c.abi as Abi, bytecode: `0x${c.evm.bytecode.object}` as Hex }
}

/** Vault events one `run` emits: two per deposit, four per deposit-and-withdraw. */
export const eventsPerRun = (n: number, withdrawEvery: number) =>
  n * 2 + (withdrawEvery === 0 ? 0 : Math.ceil(n / withdrawEvery) * 4)

export type { Address }
