import { SettingsView } from '@/components/settings/SettingsView';

export default function SettingsPage() {
  return <SettingsView />;
}
