// The staff timetable editor. Every change is a PATCH of the session through the API, with
// its version in If-Match: the server applies the same rules as the admin, and the page only
// shows what it answers. Other editors' changes arrive by polling `updated_since`.

const STEP = 5; // minutes
const MINUTE = 60000;
const ROW = 12; // pixels per step
const COL = 140; // pixels per room
const GUTTER = 56;
const HEAD = 48;
const POLL = 3000;

const data = JSON.parse(document.getElementById("tte-data").textContent);
const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
const words = {};
for (const node of document.getElementById("tte-words").content.querySelectorAll("[data-word]")) {
  words[node.dataset.word] = node.textContent.trim();
}
const grid = document.getElementById("tte-grid");
const list = document.getElementById("tte-unscheduled");
const panel = document.getElementById("tte-warnings");
const undoButton = document.getElementById("tte-undo");
const live = document.getElementById("tte-live");

const gridStart = Date.parse(data.gridStart);
const gridEnd = Date.parse(data.gridEnd);
const dayStart = Date.parse(data.dayStart);
const dayEnd = Date.parse(data.dayEnd);
const column = new Map(data.rooms.map((room, index) => [room.id, index]));
const roomName = new Map(data.rooms.map((room) => [room.id, room.name]));
const clock = new Intl.DateTimeFormat("en-GB", {
  timeZone: data.zone,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const sessions = new Map(data.sessions.map((session) => [session.id, session]));
const pending = new Map(); // id -> {change, conflicts}: moves waiting for warnings to be accepted
const reasons = new Map(); // id -> why the last change was refused
const undoStack = [];
let lastSeen = newest(data.sessions, "");
let held = null; // {id, change}: a session being dragged or moved with the keyboard
let stale = false;
let body = null;

function newest(items, since) {
  let found = since;
  for (const item of items) {
    if (!found || Date.parse(item.updated_at) >= Date.parse(found)) found = item.updated_at;
  }
  return found;
}

function iso(ms) {
  return new Date(ms).toISOString();
}

function placeOf(session) {
  const change = pending.get(session.id)?.change;
  return { start: session.start, end: session.end, room: session.room, status: session.status, ...change };
}

function onGrid(place) {
  return place.status !== "unscheduled" && column.has(place.room) &&
    Date.parse(place.start) < dayEnd && Date.parse(place.end) > dayStart;
}

function timesOf(place) {
  return `${clock.format(new Date(place.start))}–${clock.format(new Date(place.end))}`;
}

function describe(session, place) {
  if (!onGrid(place)) return `${session.title}, ${words.unscheduled}`;
  return `${session.title}, ${timesOf(place)}, ${roomName.get(place.room)}`;
}

let spoken = null;

function announce(text) {
  clearTimeout(spoken);
  live.textContent = text;
}

// While dragging, the time is said once the pointer rests, not at every pixel.
function announceSoon(text) {
  clearTimeout(spoken);
  spoken = setTimeout(() => {
    live.textContent = text;
  }, 300);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function position(node, place) {
  const top = ((Date.parse(place.start) - gridStart) / MINUTE / STEP) * ROW;
  const height = ((Date.parse(place.end) - Date.parse(place.start)) / MINUTE / STEP) * ROW;
  node.style.top = `${top}px`;
  node.style.height = `${Math.max(height, ROW)}px`;
  node.style.left = `${column.get(place.room) * COL + 2}px`;
  node.style.width = `${COL - 4}px`;
}

function badgesBySession() {
  const count = new Map();
  const add = (key) => count.set(key, (count.get(key) || 0) + 1);
  for (const [id, { conflicts }] of pending) {
    for (const conflict of conflicts) {
      add(`session-${id}`);
      if (conflict.other) add(`${conflict.other.kind}-${conflict.other.id}`);
    }
  }
  return count;
}

function sessionBlock(session, badges) {
  const place = placeOf(session);
  const block = element("div", "tte-block");
  block.dataset.id = session.id;
  block.tabIndex = 0;
  block.setAttribute("role", "button");
  block.setAttribute("aria-describedby", "tte-help");
  block.setAttribute("aria-label", describe(session, place));
  if (session.status === "cancelled") block.classList.add("tte-cancelled");
  if (pending.has(session.id)) block.classList.add("tte-pending");
  block.append(element("span", "tte-title", session.title));
  block.append(element("span", "tte-time", timesOf(place)));
  const badge = badges.get(`session-${session.id}`);
  if (badge) block.append(element("span", "tte-badge", `⚠ ${badge}`));
  return block;
}

function render() {
  stale = false;
  const focused = document.activeElement?.dataset?.id;
  const badges = badgesBySession();
  const rows = (gridEnd - gridStart) / MINUTE / STEP;
  grid.replaceChildren();
  grid.style.width = `${GUTTER + COL * data.rooms.length}px`;
  grid.style.height = `${HEAD + rows * ROW}px`;
  let first = 0;
  data.rooms.forEach((room, index) => {
    const next = data.rooms[index + 1];
    if (!next || next.venue !== room.venue) {
      const venue = element("div", "tte-head tte-venue", room.venueName);
      venue.style.left = `${GUTTER + first * COL}px`;
      venue.style.width = `${(index - first + 1) * COL}px`;
      venue.style.top = "0";
      grid.append(venue);
      first = index + 1;
    }
    const head = element("div", "tte-head", room.name);
    head.style.left = `${GUTTER + index * COL}px`;
    head.style.width = `${COL}px`;
    head.style.top = "24px";
    grid.append(head);
  });
  for (let at = gridStart; at < gridEnd; at += 60 * MINUTE) {
    const hour = element("div", "tte-hour", clock.format(new Date(at)));
    hour.style.top = `${HEAD + ((at - gridStart) / MINUTE / STEP) * ROW}px`;
    grid.append(hour);
  }
  body = element("div", "tte-body");
  body.style.left = `${GUTTER}px`;
  body.style.top = `${HEAD}px`;
  body.style.width = `${COL * data.rooms.length}px`;
  body.style.height = `${rows * ROW}px`;
  grid.append(body);
  for (const meeting of data.meetings) {
    if (!column.has(meeting.room)) continue;
    const block = element("div", "tte-block tte-meeting");
    block.dataset.meeting = meeting.id;
    block.append(element("span", "tte-title", `${words.reserved}: ${meeting.title}`));
    block.append(element("span", "tte-time", timesOf(meeting)));
    const badge = badges.get(`meeting-${meeting.id}`);
    if (badge) block.append(element("span", "tte-badge", `⚠ ${badge}`));
    position(block, meeting);
    body.append(block);
  }
  const unscheduled = [];
  for (const session of sessions.values()) {
    const place = placeOf(session);
    const block = sessionBlock(session, badges);
    if (onGrid(place)) {
      position(block, place);
      block.append(element("div", "tte-resize"));
      body.append(block);
      const reason = reasons.get(session.id);
      if (reason) {
        const note = element("div", "tte-reason", reason);
        note.id = `tte-reason-${session.id}`;
        note.style.top = block.style.top;
        note.style.left = `${(column.get(place.room) + 1) * COL}px`;
        body.append(note);
        block.setAttribute("aria-describedby", `${note.id} tte-help`);
      }
    } else {
      const item = element("li");
      item.append(block);
      unscheduled.push([session.title, item]);
    }
  }
  unscheduled.sort((a, b) => a[0].localeCompare(b[0]));
  list.replaceChildren(...unscheduled.map(([, item]) => item));
  renderWarnings();
  undoButton.disabled = undoStack.length === 0;
  if (focused) document.querySelector(`.tte-block[data-id="${focused}"]`)?.focus();
}

function renderWarnings() {
  const items = [];
  for (const [id, { change, conflicts }] of pending) {
    const session = sessions.get(id);
    const item = element("li");
    item.append(element("strong", "", session.title));
    const messages = element("ul");
    for (const conflict of conflicts) messages.append(element("li", "", conflict.message));
    item.append(messages);
    const accept = element("button", "button", words.accept);
    accept.type = "button";
    accept.addEventListener("click", () => propose(id, change, { accept: true }));
    const cancel = element("button", "button", words.cancel);
    cancel.type = "button";
    cancel.addEventListener("click", () => {
      pending.delete(id);
      render();
      announce(`${words.cancel}: ${session.title}`);
    });
    item.append(accept, " ", cancel);
    items.push(item);
  }
  panel.replaceChildren(...items);
}

function versionOf(session) {
  return `"${session.updated_at}"`;
}

async function send(method, url, session, payload) {
  return fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrf,
      "If-Match": versionOf(session),
    },
    body: JSON.stringify(payload),
  });
}

function firstMessages(errors) {
  if (typeof errors !== "object" || errors === null) return String(errors);
  if (errors.detail) return errors.detail;
  return Object.values(errors).flat().join(" ");
}

// Ask the server to make a change; show what it answers.
async function propose(id, change, { accept = false, undoing = false } = {}) {
  const session = sessions.get(id);
  const before = { start: session.start, end: session.end, room: session.room, status: session.status };
  reasons.delete(id);
  const url = `${data.api}${id}/`;
  const response = await send("PATCH", url, session, accept ? { ...change, accept_conflicts: true } : change);
  const answer = await response.json().catch(() => ({}));
  if (response.ok) {
    pending.delete(id);
    sessions.set(id, answer);
    lastSeen = newest([answer], lastSeen);
    if (!undoing) undoStack.push({ id, before });
    render();
    announce(`${undoing ? words.undone : words.moved}: ${describe(answer, answer)}`);
    return;
  }
  if (response.status === 412) {
    pending.delete(id);
    await poll();
    reasons.set(id, words.stale);
    render();
    announce(words.stale);
    return;
  }
  const keys = Object.keys(answer);
  if (response.status === 400 && keys.length === 1 && keys[0] === "accept_conflicts") {
    const asked = await send("POST", `${url}conflicts/`, session, change);
    const conflicts = asked.ok ? (await asked.json()).filter((c) => !c.blocking) : [];
    pending.set(id, {
      change,
      conflicts: conflicts.length ? conflicts : answer.accept_conflicts.map((message) => ({ message })),
    });
    render();
    announce(`${words.warning}: ${pending.get(id).conflicts.map((c) => c.message).join(" ")}`);
    return;
  }
  pending.delete(id);
  reasons.set(id, firstMessages(answer));
  render();
  announce(`${words.refused}: ${reasons.get(id)}`);
}

async function poll() {
  if (document.hidden && !stale) return;
  let url = `${data.api}?summit=${data.summit}&page_size=500&updated_since=${encodeURIComponent(lastSeen)}`;
  const changed = [];
  while (url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const page = await response.json();
    changed.push(...page.results);
    url = page.next;
  }
  if (!changed.length) return;
  for (const session of changed) {
    const kept = session.status === "unscheduled" || session.room === null ||
      (Date.parse(session.start) < dayEnd && Date.parse(session.end) > dayStart);
    if (kept) sessions.set(session.id, session);
    else sessions.delete(session.id);
  }
  lastSeen = newest(changed, lastSeen);
  stale = true;
  if (!held) render();
}

// --- dragging ---------------------------------------------------------------------------

function snapped(ms) {
  return Math.round(ms / (STEP * MINUTE)) * STEP * MINUTE;
}

const venueOf = new Map(data.rooms.map((room) => [room.id, room.venue]));

// The longest trip to or from a venue: a person leaving it needs that much time at most.
function travelFrom(venue) {
  let longest = 0;
  for (const trip of data.travel) {
    if (trip.from === venue || trip.to === venue) longest = Math.max(longest, trip.minutes);
  }
  return longest;
}

function band(start, end, className) {
  const node = element("div", className);
  node.style.top = `${((start - gridStart) / MINUTE / STEP) * ROW}px`;
  node.style.height = `${((end - start) / MINUTE / STEP) * ROW}px`;
  body.append(node);
}

// While a session is held, shade the times at which one of its people is elsewhere, and
// lighter, the travel time around them.
function shade(session) {
  const people = new Set((session.roles || []).map((role) => role.person));
  if (!people.size) return;
  for (const other of sessions.values()) {
    if (other.id === session.id || other.status !== "scheduled") continue;
    if (!(other.roles || []).some((role) => people.has(role.person))) continue;
    const start = Date.parse(other.start);
    const end = Date.parse(other.end);
    const travel = travelFrom(venueOf.get(other.room)) * MINUTE;
    if (travel) band(start - travel, end + travel, "tte-band tte-travel");
    band(start, end, "tte-band");
  }
}

function showHeld(block) {
  const place = held.change;
  block.querySelector(".tte-time").textContent = timesOf(place);
  if (column.has(place.room) && block.parentElement === body) position(block, place);
}

function startDrag(event) {
  const block = event.target.closest(".tte-block[data-id]");
  if (!block || event.button !== 0) return;
  const session = sessions.get(Number(block.dataset.id));
  const place = placeOf(session);
  const resizing = event.target.classList.contains("tte-resize");
  const rect = block.getBoundingClientRect();
  const grab = block.parentElement === body ? event.clientY - rect.top : 0;
  const length = Date.parse(place.end) - Date.parse(place.start);
  let moved = false;
  let toList = false;
  let ghost = block;
  block.setPointerCapture(event.pointerId);

  const move = (next) => {
    if (!moved && Math.hypot(next.clientX - event.clientX, next.clientY - event.clientY) < 4) return;
    if (!moved) {
      moved = true;
      held = { id: session.id, change: { ...place } };
      shade(session);
      if (block.parentElement !== body) {
        ghost = sessionBlock(session, new Map());
        body.append(ghost);
      }
      ghost.classList.add("tte-dragging");
    }
    const area = body.getBoundingClientRect();
    const listArea = list.getBoundingClientRect();
    toList = !resizing && next.clientX >= listArea.left && next.clientX <= listArea.right &&
      next.clientY >= listArea.top && next.clientY <= listArea.bottom;
    list.classList.toggle("tte-over", toList);
    if (resizing) {
      const end = snapped(gridStart + ((next.clientY - area.top) / ROW) * STEP * MINUTE);
      held.change = { ...place, end: iso(Math.max(end, Date.parse(place.start) + STEP * MINUTE)) };
    } else {
      const index = Math.min(Math.max(Math.floor((next.clientX - area.left) / COL), 0), data.rooms.length - 1);
      const start = snapped(gridStart + ((next.clientY - area.top - grab) / ROW) * STEP * MINUTE);
      held.change = { start: iso(start), end: iso(start + length), room: data.rooms[index].id, status: "scheduled" };
    }
    showHeld(ghost);
    announceSoon(timesOf(held.change));
  };
  const drop = () => {
    block.removeEventListener("pointermove", move);
    block.removeEventListener("pointerup", drop);
    block.removeEventListener("pointercancel", cancel);
    list.classList.remove("tte-over");
    clearTimeout(spoken);
    const change = held?.change;
    held = null;
    if (!moved) return;
    if (toList) propose(session.id, { status: "unscheduled" });
    else if (resizing) propose(session.id, { end: change.end });
    else propose(session.id, change);
  };
  const cancel = () => {
    held = null;
    list.classList.remove("tte-over");
    render();
  };
  block.addEventListener("pointermove", move);
  block.addEventListener("pointerup", drop);
  block.addEventListener("pointercancel", cancel);
}

// --- keyboard ---------------------------------------------------------------------------

function keys(event) {
  const block = event.target.closest(".tte-block[data-id]");
  if (!block) return;
  const session = sessions.get(Number(block.dataset.id));
  if (!held || held.id !== session.id) {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      const place = placeOf(session);
      if (!onGrid(place)) {
        // From the list: onto the first room, at the start of the day shown.
        const length = Date.parse(place.end) - Date.parse(place.start);
        place.start = iso(gridStart);
        place.end = iso(gridStart + length);
        place.room = data.rooms[0].id;
        place.status = "scheduled";
      }
      held = { id: session.id, change: { ...place } };
      block.classList.add("tte-picked");
      if (block.parentElement !== body) {
        const ghost = sessionBlock(session, new Map());
        ghost.classList.add("tte-picked");
        body.append(ghost);
        shade(session);
        showHeld(ghost);
        ghost.focus();
      } else {
        shade(session);
      }
      announce(`${words.picked}: ${describe(session, held.change)}`);
    }
    return;
  }
  const change = held.change;
  const shift = (minutes) => {
    change.start = iso(Date.parse(change.start) + minutes * MINUTE);
    change.end = iso(Date.parse(change.end) + minutes * MINUTE);
  };
  if (event.key === "ArrowUp" && !event.shiftKey) shift(-STEP);
  else if (event.key === "ArrowDown" && !event.shiftKey) shift(STEP);
  else if (event.shiftKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
    const index = column.get(change.room) + (event.key === "ArrowLeft" ? -1 : 1);
    if (index < 0 || index >= data.rooms.length) return;
    change.room = data.rooms[index].id;
  } else if (event.key === "Enter") {
    event.preventDefault();
    held = null;
    propose(session.id, change);
    return;
  } else if (event.key === "Escape") {
    event.preventDefault();
    held = null;
    render();
    announce(`${words.cancel}: ${session.title}`);
    return;
  } else {
    return;
  }
  event.preventDefault();
  showHeld(event.target.closest(".tte-block"));
  announce(describe(session, change));
}

async function undo() {
  const last = undoStack.pop();
  if (!last) return;
  await propose(last.id, last.before, { undoing: true });
}

grid.addEventListener("pointerdown", startDrag);
list.addEventListener("pointerdown", startDrag);
grid.addEventListener("keydown", keys);
list.addEventListener("keydown", keys);
undoButton.addEventListener("click", undo);
const begun = performance.now();
render();
performance.measure("timetable-render", { start: begun });
setInterval(poll, POLL);
document.addEventListener("visibilitychange", () => !document.hidden && poll());
window.timetableEditorReady = true;
