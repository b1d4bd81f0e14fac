/** What a page shows while it has nothing to show: loading, empty, or what went wrong and what to do. */
import type { ComponentChildren } from 'preact'
import type { ApiError } from '../lib/api.ts'

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  )
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>
}

export function ErrorBox({ error, what }: { error: ApiError; what: string }) {
  // the indexer not being there yet is a wait, not a failure: say so calmly, once per section
  if (error.code === 'NOT_READY')
    return (
      <p class="state loading" role="status">
        Waiting for the indexer to reach the chain before showing {what}; this fills in by itself.
      </p>
    )
  const hint =
    error.code === 'NOT_FOUND'
      ? 'Check the address or id in the link.'
      : error.code === 'OFFLINE'
        ? 'Retrying every few seconds.'
        : error.retryable
          ? 'Retrying every few seconds.'
          : ''
  return (
    <div class="state error" role="alert">
      <strong>Could not load {what}.</strong> {error.message}
      {hint ? <span class="hint"> {hint}</span> : null}
    </div>
  )
}

/** Renders a resource's three states, or its data through `children`. */
export function Async<T>({
  resource,
  what,
  children,
}: {
  resource: { data: T | undefined; error: ApiError | undefined }
  what: string
  children: (data: T) => ComponentChildren
}) {
  if (resource.data !== undefined) return <>{children(resource.data)}</>
  if (resource.error) return <ErrorBox error={resource.error} what={what} />
  return <Loading what={what} />
}
