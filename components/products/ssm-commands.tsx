"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { inputClasses } from "@/components/ui/form-field";

const validPort = (s: string) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;

/** The exact AWS CLI commands to reach an instance through SSM, with the person's chosen ports. */
export function SsmCommands({ instanceId }: { instanceId: string }) {
  const [localPort, setLocalPort] = useState("8888");
  const [remotePort, setRemotePort] = useState("22");
  const ports = validPort(localPort) && validPort(remotePort);
  const shell = `aws ssm start-session --target ${instanceId} --profile quartermaster`;
  const forward = `aws ssm start-session --target ${instanceId} --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["${remotePort}"],"localPortNumber":["${localPort}"]}' --profile quartermaster`;
  return (
    <section aria-labelledby="ssm-title" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="ssm-title" className="text-base font-semibold">
        Connect with SSM
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Needs the AWS CLI with the Session Manager plugin, and the <code>quartermaster</code> profile from{" "}
        <IntentLink href="/cli" className="font-medium text-brand-700 underline">
          CLI access
        </IntentLink>
        .
      </p>
      <h3 className="mt-4 text-sm font-medium">Shell</h3>
      <div className="mt-1 flex items-start gap-2">
        <code className="block flex-1 break-all rounded bg-slate-900 p-2 text-xs text-slate-100">{shell}</code>
        <CopyButton value={shell} label="shell command" />
      </div>
      <h3 className="mt-4 text-sm font-medium">Port forwarding</h3>
      <div className="mt-2 flex gap-4">
        <div>
          <label htmlFor="remote-port" className="block text-xs font-medium text-slate-700">
            Port on the instance
          </label>
          <input id="remote-port" inputMode="numeric" value={remotePort} onChange={(e) => setRemotePort(e.target.value)} className={`${inputClasses(!validPort(remotePort))} w-28`} aria-invalid={!validPort(remotePort) || undefined} />
        </div>
        <div>
          <label htmlFor="local-port" className="block text-xs font-medium text-slate-700">
            Local port
          </label>
          <input id="local-port" inputMode="numeric" value={localPort} onChange={(e) => setLocalPort(e.target.value)} className={`${inputClasses(!validPort(localPort))} w-28`} aria-invalid={!validPort(localPort) || undefined} />
        </div>
      </div>
      {ports ? (
        <div className="mt-2 flex items-start gap-2">
          <code className="block flex-1 break-all rounded bg-slate-900 p-2 text-xs text-slate-100">{forward}</code>
          <CopyButton value={forward} label="port forwarding command" />
        </div>
      ) : (
        <p className="mt-2 text-sm text-red-700">Ports are numbers from 1 to 65535.</p>
      )}
    </section>
  );
}
