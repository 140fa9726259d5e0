// AMQP 0-9-1 (RabbitMQ): guest/guest and a few defaults. Proof = the broker's server properties.
import { connect, type ChannelModel, type SocketOptions } from 'amqplib';
import { maskSecret } from '../mask.js';
import { AMQP_CREDENTIALS, NMAP_SERVICES } from '../spec.js';
import type { AttemptOutcome, ServiceCheck } from '../types.js';
import { commonOutcome, errorText } from './outcome.js';

export const amqpCheck: ServiceCheck = {
  service: 'amqp',
  nmapServices: NMAP_SERVICES.amqp,
  credentials: AMQP_CREDENTIALS,
  async attempt(target, attempt, signal): Promise<AttemptOutcome> {
    const password = attempt.password ?? '';
    let model: ChannelModel | undefined;
    // The socket options reach net.connect, whose `signal` destroys the socket on abort, so a
    // handshake in flight is torn down; a connection that opened anyway is closed straight away.
    const socketOptions: SocketOptions & { signal: AbortSignal } = { timeout: 60_000, signal };
    const closeLate = (): void => {
      void model?.close().catch(() => undefined);
    };
    signal.addEventListener('abort', closeLate, { once: true });
    try {
      model = await connect(
        {
          protocol: 'amqp',
          hostname: target.host,
          port: target.port,
          username: attempt.username,
          password,
          heartbeat: 0,
        },
        socketOptions,
      );
      model.on('error', () => undefined);
      if (signal.aborted) {
        closeLate();
        return { kind: 'unreachable', detail: 'aborted' };
      }
      const props = model.connection.serverProperties;
      return {
        kind: 'success',
        proof: `login as ${attempt.username} accepted with password ${maskSecret(password)}; product=${props.product} version=${props.version}`,
      };
    } catch (err) {
      const common = commonOutcome(err);
      if (common) return common;
      if (/ACCESS[-_]REFUSED|403/.test(errorText(err))) return { kind: 'denied' };
      return { kind: 'unreachable', detail: errorText(err) };
    } finally {
      signal.removeEventListener('abort', closeLate);
      closeLate();
    }
  },
};
