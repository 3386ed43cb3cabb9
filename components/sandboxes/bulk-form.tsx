"use client";
import Link from "next/link";
import { useActionState, useState } from "react";
import { FormMessage } from "@/components/forms/field";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/input";
import { Table, Td, Th } from "@/components/ui/table";
import type { ActionState } from "@/lib/entry/action-core";
import { bulkSandboxAction } from "@/lib/entry/actions/sandboxes";
import { Countdown } from "./countdown";

type Row = {
  name: string;
  owner: string;
  age: string;
  expiresAt: string | null;
  lifecycle: string;
  phase: string | null;
};

export function BulkSandboxForm({ rows }: { rows: Row[] }) {
  const [state, action, pending] = useActionState(bulkSandboxAction, { ok: false } as ActionState<{
    done: number;
    failed: string[];
  }>);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (name: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(name)) n.delete(name);
      else n.add(name);
      return n;
    });
  return (
    <form action={action} className="space-y-3" aria-label="Bulk actions on sandboxes">
      <input type="hidden" name="tenants" value={[...selected].join(",")} />
      <div className="flex flex-wrap items-end gap-2">
        <NativeSelect name="op" defaultValue="extend" className="w-40" aria-label="Action">
          <option value="extend">Extend</option>
          <option value="remove">Remove</option>
        </NativeSelect>
        <NativeSelect name="hours" defaultValue="24" className="w-32" aria-label="Extend by">
          <option value="24">1 day</option>
          <option value="72">3 days</option>
          <option value="168">7 days</option>
        </NativeSelect>
        <Button type="submit" disabled={pending || selected.size === 0}>
          {pending ? "Working…" : `Apply to ${selected.size} selected`}
        </Button>
      </div>
      <FormMessage
        ok={state.ok}
        message={
          state.ok && state.data
            ? `${state.data.done} done${state.data.failed.length ? `; refused: ${state.data.failed.join("; ")}` : ""}.`
            : (state.fieldErrors?.tenants ?? state.message)
        }
      />
      <Table data-testid="sandboxes-table">
        <thead>
          <tr>
            <Th>
              <span className="sr-only">Select</span>
            </Th>
            <Th>Sandbox</Th>
            <Th>Owner</Th>
            <Th>Age</Th>
            <Th>Expires</Th>
            <Th>Status</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <Td>
                <input
                  type="checkbox"
                  aria-label={`Select ${r.name}`}
                  checked={selected.has(r.name)}
                  onChange={() => toggle(r.name)}
                />
              </Td>
              <Td>
                <Link className="text-primary underline" href={`/tenants/${r.name}`}>
                  {r.name}
                </Link>
              </Td>
              <Td>{r.owner}</Td>
              <Td>{r.age}</Td>
              <Td>{r.expiresAt ? <Countdown expiresAt={r.expiresAt} /> : "—"}</Td>
              <Td>{r.phase ?? r.lifecycle}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </form>
  );
}
