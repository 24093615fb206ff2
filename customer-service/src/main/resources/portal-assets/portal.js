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
