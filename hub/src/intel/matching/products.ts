// Scanner product names and CPE vendors that differ from NVD's. A service seen as "OpenSSH 9.2p1"
// without a CPE, or with nmap's `igor_sysoev:nginx`, is matched against NVD's vendor:product —
// at medium confidence, since the name was translated, not reported.

/** Lower-cased product banner → NVD `vendor:product` keys (application part). */
export const PRODUCT_NAMES: Readonly<Record<string, readonly string[]>> = {
  openssh: ['openbsd:openssh'],
  'apache httpd': ['apache:http_server'],
  'apache http server': ['apache:http_server'],
  nginx: ['f5:nginx', 'nginx:nginx'],
  mysql: ['oracle:mysql'],
  mariadb: ['mariadb:mariadb'],
  postgresql: ['postgresql:postgresql'],
  'postgresql db': ['postgresql:postgresql'],
  redis: ['redis:redis'],
  'redis key-value store': ['redis:redis'],
  openssl: ['openssl:openssl'],
  mosquitto: ['eclipse:mosquitto'],
  'eclipse mosquitto': ['eclipse:mosquitto'],
  rabbitmq: ['vmware:rabbitmq', 'pivotal_software:rabbitmq'],
  'nats-server': ['linuxfoundation:nats-server'],
  'nats server': ['linuxfoundation:nats-server'],
  'microsoft iis httpd': ['microsoft:internet_information_services'],
  vsftpd: ['beasts:vsftpd'],
  proftpd: ['proftpd:proftpd'],
  'isc bind': ['isc:bind'],
  dnsmasq: ['thekelleys:dnsmasq'],
  postfix: ['postfix:postfix'],
  'postfix smtpd': ['postfix:postfix'],
  exim: ['exim:exim'],
  'exim smtpd': ['exim:exim'],
  dovecot: ['dovecot:dovecot'],
  'samba smbd': ['samba:samba'],
  lighttpd: ['lighttpd:lighttpd'],
  'apache tomcat': ['apache:tomcat'],
  jetty: ['eclipse:jetty'],
  memcached: ['memcached:memcached'],
  mongodb: ['mongodb:mongodb'],
  elasticsearch: ['elastic:elasticsearch'],
};

/** nmap/old CPE vendor spellings → NVD's current ones, keyed `vendor:product`. */
export const VENDOR_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'igor_sysoev:nginx': ['f5:nginx', 'nginx:nginx'],
  'nginx:nginx': ['f5:nginx'],
  'mysql:mysql': ['oracle:mysql'],
  'pivotal_software:rabbitmq': ['vmware:rabbitmq'],
  'redislabs:redis': ['redis:redis'],
  'eclipse:mosquitto': ['eclipse:mosquitto'],
};

/** Language-package names whose NVD CPE is known (non-distro packages only). */
export function productKeysForName(product: string): readonly string[] {
  return PRODUCT_NAMES[product.trim().toLowerCase()] ?? [];
}
