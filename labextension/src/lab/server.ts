// Calls to pktlab's Jupyter server extension (pktlab/notebook/labserver.py).
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { GraphJSON } from '../common/types';

export interface ParseResult {
  graph?: GraphJSON;
  error?: string;
}

export async function parseClick(text: string, filename: string): Promise<ParseResult> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'pktlab', 'parse');
  const resp = await ServerConnection.makeRequest(
    url,
    { method: 'POST', body: JSON.stringify({ text, filename }) },
    settings
  );
  if (resp.status === 404) return { error: 'the pktlab server extension is not enabled' };
  return (await resp.json()) as ParseResult;
}
