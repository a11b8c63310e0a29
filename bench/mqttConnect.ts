import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** CONNACK 3, "server unavailable". */
const SERVER_UNAVAILABLE = 3;

/**
 * `mqtt.connectAsync`, tried again after a short pause while the broker answers "server
 * unavailable": LikeBox's broker checks passwords a few at a time and refuses at once the logins
 * beyond 8 waiting per address (broker/README.md, "Logins"), which the benches' boxes, all from one
 * address, exceed when they connect together; a real box retries the same way. Mosquitto never
 * answers it.
 */
export async function connectRetrying(url: string, options: IClientOptions): Promise<MqttClient> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await mqtt.connectAsync(url, { ...options, reconnectPeriod: 0 });
    } catch (err) {
      if ((err as { code?: number }).code !== SERVER_UNAVAILABLE || attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    }
  }
}
