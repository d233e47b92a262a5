// Telling the agent a chat rings: a short two-tone chime made with the Web Audio API (no
// sound file) and a desktop notification (Notification API), permission asked once.

const ASKED_KEY = 'serverchat.console.notificationAsked';
/** @type {AudioContext | null} */
let audio = null;

/** Called from a click (login, going Online): browsers allow audio and the permission prompt only then. */
export function prepareAlerts() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = null;
  }
  if (typeof Notification !== 'undefined' && Notification.permission === 'default' && !localStorage.getItem(ASKED_KEY)) {
    localStorage.setItem(ASKED_KEY, '1');
    void Notification.requestPermission();
  }
}

/** Two short tones, quiet. */
export function chime() {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.18);
      osc.stop(t + i * 0.18 + 0.17);
    }
  } catch {
    // No audio device: the notification and the page still say it.
  }
}

/**
 * A desktop notification, if permitted; clicking it brings the console forward.
 * @param {string} title
 * @param {string} body
 * @param {string} tag one per chat, so a re-ring replaces rather than stacks
 */
export function notify(title, body, tag) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the chime still rings.
  }
}
