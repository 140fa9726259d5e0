// MQTT: anonymous CONNECT first, then a few defaults. Proof = the CONNACK.
import mqtt from 'mqtt';
import { maskSecret } from '../mask.js';
import { MQTT_CREDENTIALS, NMAP_SERVICES } from '../spec.js';
import type { AttemptOutcome, ServiceCheck } from '../types.js';
import { commonOutcome, errorText, onAbort } from './outcome.js';

// MQTT 3.1.1 CONNACK return codes 4 (bad user name or password) and 5 (not authorized);
// MQTT 5 reason codes 134 and 135.
const REFUSED_CODES = new Set([4, 5, 134, 135]);

export const mqttCheck: ServiceCheck = {
  service: 'mqtt',
  nmapServices: NMAP_SERVICES.mqtt,
  credentials: MQTT_CREDENTIALS,
  attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const client = mqtt.connect({
      host: target.host,
      port: target.port,
      protocol: 'mqtt',
      protocolVersion: 4,
      clientId: `watchpost-cred-${Math.random().toString(16).slice(2, 10)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      ...(attempt.password === null ? {} : { username: attempt.username, password: attempt.password }),
    });
    const detach = onAbort(signal, () => client.end(true));
    return new Promise<AttemptOutcome>((resolve) => {
      client.on('connect', (connack) => {
        const how =
          attempt.password === null
            ? 'CONNECT without credentials accepted'
            : `CONNECT as ${attempt.username} with password ${maskSecret(attempt.password)} accepted`;
        resolve({
          kind: 'success',
          proof: `${how} (CONNACK ${connack.returnCode ?? connack.reasonCode ?? 0})`,
        });
      });
      client.on('error', (err) => {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'number' && REFUSED_CODES.has(code)) return resolve({ kind: 'denied' });
        resolve(commonOutcome(err) ?? { kind: 'unreachable', detail: errorText(err) });
      });
      client.on('close', () => resolve({ kind: 'unreachable', detail: 'connection closed before CONNACK' }));
    }).finally(() => {
      detach();
      client.end(true);
    });
  },
};
