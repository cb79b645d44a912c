/**
 * The inbox page. Plain DOM, no framework. Every decision about what to show comes from the
 * account's capability manifest (`/api/accounts`), never from a provider name: the provider is only
 * displayed, as a badge.
 */

interface WireAccount {
  account: string;
  provider: string;
  capabilities: { markRead: boolean; reactions: boolean; streamedReplies: boolean; listMessages: boolean };
  health: WireHealth;
  unread: number;
}
interface WireHealth {
  account: string;
  provider: string;
  state: 'connected' | 'degraded' | 'stopped';
  lastError?: { name: string; code?: string; message: string };
}
interface WireConversation {
  id: string;
  account: string;
  provider: string;
  title: string;
  activityAt?: string;
  unreadCount: number;
  lastText?: string;
}
interface WireMessage {
  id: string;
  conversation: string;
  account: string;
  messageId: string;
  sender: { name: string; isSelf: boolean };
  text: string;
  sentAt: string;
  reactions: Array<{ value: string; senderId: string }>;
  replyId?: string;
}
interface UnreadCounts {
  total: number;
  byAccount: Record<string, number>;
}

const REACTION = '👍';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const accounts = new Map<string, WireAccount>();
let conversations: WireConversation[] = [];
let missing: Array<{ account: string; error: { message: string } }> = [];
let current: WireConversation | undefined;
let olderCursor: string | undefined;
let loadingOlder = false;
let unreadOnly = false;

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(json.error?.message ?? `HTTP ${response.status}`);
  return json as T;
}

const timeOf = (iso?: string) =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// ---------------------------------------------------------------- conversations

function renderTotals(counts?: UnreadCounts) {
  const total = counts?.total ?? [...accounts.values()].reduce((sum, a) => sum + a.unread, 0);
  const per = [...accounts.values()].map((a) => `${a.account} ${counts?.byAccount[a.account] ?? a.unread}`);
  $('totals').textContent = `${total} unread · ${per.join(' · ')}`;
}

function renderConversations() {
  const list = $('conversations');
  list.replaceChildren(
    ...conversations
      .filter((c) => !unreadOnly || c.unreadCount > 0)
      .map((c) => {
        const button = el(
          'button',
          {
            type: 'button',
            class: 'conversation',
            'data-id': c.id,
            'data-account': c.account,
            'data-provider': c.provider,
            'data-activity': c.activityAt ?? '',
            'aria-current': String(current?.id === c.id),
          },
          el(
            'span',
            { class: 'badge', 'data-provider': c.provider, title: `account ${c.account}` },
            c.provider,
          ),
          el('span', { class: 'title' }, c.title),
          el('time', c.activityAt ? { datetime: c.activityAt } : {}, timeOf(c.activityAt)),
          el('span', { class: 'last' }, c.lastText ?? ''),
        );
        if (c.unreadCount > 0) {
          button.append(
            el('span', { class: 'unread', 'aria-label': `${c.unreadCount} unread` }, String(c.unreadCount)),
          );
        }
        button.addEventListener('click', () => void openConversation(c.id));
        return el('li', {}, button);
      }),
  );
  const note = $('missing');
  note.hidden = missing.length === 0;
  note.textContent = missing.map((m) => `Not listed: ${m.account} (${m.error.message})`).join(' · ');
}

async function loadConversations() {
  const result = await api<{ items: WireConversation[]; missing: typeof missing }>('/api/conversations');
  conversations = result.items;
  missing = result.missing;
  renderConversations();
}

/** A message moved its conversation to the top (latest activity first). */
function touchConversation(message: WireMessage) {
  const index = conversations.findIndex((c) => c.id === message.conversation);
  if (index < 0) {
    void loadConversations();
    return;
  }
  const conversation = conversations[index]!;
  // A message confirmed late (ours, after a streamed reply) does not hide a newer one.
  if (conversation.activityAt && Date.parse(conversation.activityAt) > Date.parse(message.sentAt)) return;
  conversations.splice(index, 1);
  conversation.activityAt = message.sentAt;
  conversation.lastText = message.text;
  conversations.unshift(conversation);
  renderConversations();
}

// ---------------------------------------------------------------- banners

function renderBanners() {
  const banners = [...accounts.values()]
    .filter((a) => a.health.state === 'degraded')
    .map((a) =>
      el(
        'p',
        { class: 'banner', role: 'alert', 'data-account': a.account },
        `⚠ ${a.provider} account “${a.account}” is degraded: ${(a.health.lastError?.message ?? 'unknown error').replace(/\.$/, '')}. The other accounts keep working.`,
      ),
    );
  $('banners').replaceChildren(...banners);
}

// ---------------------------------------------------------------- thread

function messageItem(message: WireMessage): HTMLLIElement {
  const capabilities = accounts.get(message.account)?.capabilities;
  const reactions = el(
    'span',
    { class: 'reactions', 'aria-label': 'reactions' },
    message.reactions.map((r) => r.value).join(''),
  );
  const actions = el('div', { class: 'actions' }, reactions);
  if (capabilities?.reactions) {
    const react = el(
      'button',
      {
        type: 'button',
        class: 'react',
        'aria-label': `React ${REACTION} to ${message.sender.name}'s message`,
      },
      REACTION,
    );
    react.addEventListener('click', async () => {
      react.disabled = true;
      try {
        await api('/api/react', { ref: message.id, value: REACTION });
        addReaction(message.id, REACTION);
      } catch (error) {
        showError(error);
      } finally {
        react.disabled = false;
      }
    });
    actions.append(react);
  }
  return el(
    'li',
    { class: 'message', 'data-id': message.id, 'data-self': String(message.sender.isSelf) },
    el(
      'div',
      { class: 'meta' },
      el('span', { class: 'sender' }, message.sender.isSelf ? 'You' : message.sender.name),
      el('time', { datetime: message.sentAt }, timeOf(message.sentAt)),
    ),
    el('div', { class: 'text' }, message.text),
    actions,
  );
}

function addReaction(messageId: string, value: string) {
  const item = document.querySelector<HTMLElement>(`.message[data-id="${CSS.escape(messageId)}"] .reactions`);
  if (item && !item.textContent?.includes(value)) item.textContent = `${item.textContent ?? ''}${value}`;
}

/**
 * The bubble a stored message replaces: the streamed reply it completes (by `replyId`, else by its
 * text), or our own message shown while the provider had not confirmed it yet.
 */
function placeholderFor(message: WireMessage): HTMLElement | undefined {
  const list = $('messages');
  const candidates = message.sender.isSelf
    ? list.querySelectorAll<HTMLElement>('[data-pending="true"]')
    : list.querySelectorAll<HTMLElement>(
        message.replyId ? `[data-reply-id="${CSS.escape(message.replyId)}"]` : '[data-reply-id]',
      );
  return [...candidates].find(
    (item) => message.replyId || item.querySelector('.text')?.textContent === message.text,
  );
}

function appendMessage(message: WireMessage) {
  const list = $('messages');
  if (list.querySelector(`[data-id="${CSS.escape(message.id)}"]`)) {
    placeholderFor(message)?.remove();
    return;
  }
  const history = $('history');
  const atBottom = history.scrollHeight - history.scrollTop - history.clientHeight < 60;
  const placeholder = placeholderFor(message);
  const item = messageItem(message);
  if (placeholder) placeholder.replaceWith(item);
  else list.append(item);
  if (atBottom || message.sender.isSelf) history.scrollTop = history.scrollHeight;
}

function appendDelta(replyId: string, delta: string) {
  const list = $('messages');
  let item = list.querySelector<HTMLElement>(`[data-reply-id="${CSS.escape(replyId)}"]`);
  if (!item) {
    item = el(
      'li',
      { class: 'message', 'data-reply-id': replyId, 'data-streaming': 'true', 'aria-busy': 'true' },
      el('div', { class: 'meta' }, el('span', { class: 'sender' }, 'typing…')),
      el('div', { class: 'text' }),
    );
    list.append(item);
  }
  item.querySelector('.text')!.append(delta);
  const history = $('history');
  history.scrollTop = history.scrollHeight;
}

async function loadOlder() {
  if (!current || olderCursor === undefined || loadingOlder) return;
  loadingOlder = true;
  const status = $('older-status');
  status.textContent = 'Loading older messages…';
  const conversation = current;
  try {
    const page = await api<{ items: WireMessage[]; nextCursor?: string }>(
      `/api/messages?ref=${encodeURIComponent(conversation.id)}&cursor=${encodeURIComponent(olderCursor)}`,
    );
    if (current !== conversation) return;
    const history = $('history');
    const before = history.scrollHeight - history.scrollTop;
    $('messages').prepend(...page.items.reverse().map(messageItem));
    history.scrollTop = history.scrollHeight - before; // keep the reader where they were
    olderCursor = page.nextCursor;
    status.textContent = olderCursor ? '' : 'Beginning of the conversation';
  } catch (error) {
    status.textContent = `Could not load older messages: ${(error as Error).message}`;
  } finally {
    loadingOlder = false;
  }
}

async function openConversation(id: string) {
  const conversation = conversations.find((c) => c.id === id);
  if (!conversation) return;
  current = conversation;
  olderCursor = undefined;
  const account = accounts.get(conversation.account)!;
  $('thread-title').textContent = `${conversation.title} · ${conversation.provider}`;
  $('mark-read').hidden = !account.capabilities.markRead;
  $('composer').hidden = false;
  $('composer-error').textContent = '';
  $('messages').replaceChildren();
  $('older-status').textContent = '';
  renderConversations();
  if (!account.capabilities.listMessages) return;
  try {
    const page = await api<{ items: WireMessage[]; nextCursor?: string }>(
      `/api/messages?ref=${encodeURIComponent(id)}`,
    );
    if (current !== conversation) return;
    $('messages').replaceChildren(...page.items.reverse().map(messageItem));
    olderCursor = page.nextCursor;
    const history = $('history');
    history.scrollTop = history.scrollHeight;
  } catch (error) {
    $('older-status').textContent = `Could not load messages: ${(error as Error).message}`;
  }
}

function showError(error: unknown) {
  $('composer-error').textContent = (error as Error).message;
}

// ---------------------------------------------------------------- wiring

function listen() {
  const events = new EventSource('/api/events');
  events.addEventListener('message', (e) => {
    const message = JSON.parse((e as MessageEvent).data) as WireMessage;
    touchConversation(message);
    if (current?.id === message.conversation) appendMessage(message);
  });
  events.addEventListener('delta', (e) => {
    const delta = JSON.parse((e as MessageEvent).data) as {
      conversation: string;
      replyId: string;
      delta: string;
    };
    if (current?.id === delta.conversation) appendDelta(delta.replyId, delta.delta);
  });
  events.addEventListener('reaction', (e) => {
    const reaction = JSON.parse((e as MessageEvent).data) as {
      message: string;
      value: string;
      added: boolean;
    };
    if (reaction.added) addReaction(reaction.message, reaction.value);
  });
  events.addEventListener('unread', (e) => {
    const change = JSON.parse((e as MessageEvent).data) as {
      ref: string;
      count: number;
      counts: UnreadCounts;
    };
    const conversation = conversations.find((c) => c.id === change.ref);
    if (conversation) conversation.unreadCount = change.count;
    for (const [account, count] of Object.entries(change.counts.byAccount)) {
      const entry = accounts.get(account);
      if (entry) entry.unread = count;
    }
    renderConversations();
    renderTotals(change.counts);
  });
  events.addEventListener('health', (e) => {
    const health = JSON.parse((e as MessageEvent).data) as WireHealth;
    const entry = accounts.get(health.account);
    if (!entry) return;
    const recovered = entry.health.state === 'degraded' && health.state === 'connected';
    entry.health = health;
    renderBanners();
    if (recovered) void loadConversations();
  });
}

async function main() {
  const result = await api<{ accounts: WireAccount[]; unread: UnreadCounts }>('/api/accounts');
  for (const account of result.accounts) accounts.set(account.account, account);
  listen();
  await loadConversations();
  renderTotals();
  renderBanners();

  const history = $('history');
  history.addEventListener('scroll', () => {
    if (history.scrollTop < 40) void loadOlder();
  });
  $<HTMLInputElement>('unread-only').addEventListener('change', (e) => {
    unreadOnly = (e.target as HTMLInputElement).checked;
    renderConversations();
  });
  $('mark-read').addEventListener('click', async () => {
    if (!current) return;
    try {
      await api('/api/read', { ref: current.id });
    } catch (error) {
      showError(error);
    }
  });
  $<HTMLFormElement>('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current) return;
    const input = $<HTMLTextAreaElement>('composer-text');
    const text = input.value.trim();
    if (!text) return;
    $('composer-error').textContent = '';
    const conversation = current;
    // Shown at once, replaced by the stored message when the provider confirms it.
    const pending = el(
      'li',
      { class: 'message', 'data-self': 'true', 'data-pending': 'true' },
      el('div', { class: 'meta' }, el('span', { class: 'sender' }, 'You'), el('span', {}, 'sending…')),
      el('div', { class: 'text' }, text),
    );
    $('messages').append(pending);
    const history = $('history');
    history.scrollTop = history.scrollHeight;
    input.value = '';
    try {
      const { message } = await api<{ message?: WireMessage }>('/api/send', { ref: conversation.id, text });
      if (message) {
        touchConversation(message);
        if (current?.id === message.conversation) appendMessage(message);
      }
    } catch (error) {
      pending.remove();
      input.value = text;
      showError(error);
    }
  });
  $<HTMLTextAreaElement>('composer-text').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      $<HTMLFormElement>('composer').requestSubmit();
    }
  });
  document.body.dataset.ready = 'true';
}

void main();
