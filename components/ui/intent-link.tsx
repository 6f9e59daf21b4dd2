"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/**
 * A link whose page is prefetched when the person shows they may open it (the pointer enters it,
 * a finger touches it, the keyboard focuses it), not as soon as it is on screen. Next's own
 * `prefetch={false}` turns prefetching off altogether, hover included; its default prefetches
 * every link in view as the page starts — a table of 50 rows asks the server for 50 pages, each a
 * session check and a row read, and every page starts by fetching each navigation link's page.
 */
export function IntentLink({ href, onMouseEnter, onFocus, onTouchStart, ...props }: Omit<ComponentProps<typeof Link>, "href" | "prefetch"> & { href: string }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return (
    <Link
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        prefetch();
        onMouseEnter?.(event);
      }}
      onTouchStart={(event) => {
        prefetch();
        onTouchStart?.(event);
      }}
      onFocus={(event) => {
        prefetch();
        onFocus?.(event);
      }}
    />
  );
}
