// Types of env.mjs, for the TypeScript examples.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What `wechatFromEnv()` read or started: the app's WeChat settings. */
export interface WechatSettings {
  appId: string;
  appSecret: string;
  apiBaseUrl?: string;
}

export function wechatFromEnv(env?: NodeJS.ProcessEnv): Promise<{ wechat: WechatSettings; standIn: { url: string; close(): Promise<void> } | undefined }>;

export function onShutdown(fn: () => unknown): void;

export function serve(app: (req: IncomingMessage, res: ServerResponse) => void, label: string, env?: NodeJS.ProcessEnv): Promise<string>;
