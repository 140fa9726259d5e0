// The systemd unit install.sh writes. It is the .deb's unit (agent/packaging/watchpost-agent.service);
// install-script.test.ts fails when the two differ.
export const AGENT_UNIT = `[Unit]
Description=Watchpost agent (inventory, discovery, durable streaming to its hub)
Documentation=https://github.com/watchpost/watchpost/blob/main/agent/README.md
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=/usr/bin/watchpost-agent run --data-dir /var/lib/watchpost-agent
Environment=WATCHPOST_AGENT_SERVICE=systemd
Restart=on-failure
RestartSec=5s
# Exit 3 = revoked by the hub: restarting would only be refused again.
RestartPreventExitStatus=3 64
User=watchpost-agent
Group=watchpost-agent
StateDirectory=watchpost-agent
StateDirectoryMode=0700
ConfigurationDirectory=watchpost-agent
# nmap's SYN scan and OS detail need raw sockets; nothing else needs privilege.
AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN
CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ReadWritePaths=/var/lib/watchpost-agent
# Self-upgrade swaps the executable in its own directory (/usr/bin/watchpost-agent is a symlink
# to it, README "Upgrade"): that one directory stays writable, nothing else under /usr.
ReadWritePaths=/usr/lib/watchpost-agent
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes

[Install]
WantedBy=multi-user.target
`;

export const DEFAULT_AGENT_CONFIG = `${JSON.stringify({ scope: ['127.0.0.1/32'] }, null, 2)}\n`;
