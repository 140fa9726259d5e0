import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { ApiError } from '../../../api/http';
import InlineEdit from './InlineEdit.vue';

const mountEdit = (save: (text: string) => Promise<void>, value = 'Li Wei') =>
  mount(InlineEdit, { props: { value, save, label: 'Owner' }, attachTo: document.body });

describe('InlineEdit', () => {
  it('saves the trimmed text on Enter and leaves edit mode', async () => {
    const save = vi.fn(() => Promise.resolve());
    const w = mountEdit(save);
    await w.get('[role="button"]').trigger('click');
    const input = w.get('input');
    await input.setValue('  Zhang San ');
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(save).toHaveBeenCalledWith('Zhang San');
    expect(w.find('input').exists()).toBe(false);
    w.unmount();
  });

  it('keeps the editor open with the hub error when the save is refused', async () => {
    const save = vi.fn(() =>
      Promise.reject(new ApiError('VALIDATION_FAILED', 'zone: lower-case letters', 400)),
    );
    const w = mountEdit(save, 'dmz');
    await w.get('[role="button"]').trigger('click');
    await w.get('input').setValue('DMZ!');
    await w.get('input').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(w.find('input').exists()).toBe(true);
    expect(w.get('[role="alert"]').text()).toBe('VALIDATION_FAILED: zone: lower-case letters');
    w.unmount();
  });

  it('does not call save when Escape cancels or nothing changed', async () => {
    const save = vi.fn(() => Promise.resolve());
    const w = mountEdit(save);
    await w.get('[role="button"]').trigger('click');
    await w.get('input').setValue('someone else');
    await w.get('input').trigger('keydown', { key: 'Escape' });
    expect(w.find('input').exists()).toBe(false);
    expect(w.get('[role="button"]').text()).toBe('Li Wei');
    await w.get('[role="button"]').trigger('click');
    await w.get('input').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(save).not.toHaveBeenCalled();
    w.unmount();
  });
});
