// Copy buttons: <button data-copy="ID"> copies the value of the input with that id.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById('copy-status');
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = 'Copied.';
  } catch (e) {
    if (status) status.textContent = 'Press Ctrl+C to copy the selected key.';
  }
});

// Destructive buttons ask first: <button data-confirm="question"> submits only when confirmed.
document.addEventListener('submit', (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
