"""The administration screens write through services, so every change there is audited."""

from django.contrib import admin

from leeds_communities import services


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes (of the record and of its inlines) go through `save_service` and
    `delete_service`, by default the audited plain save and delete."""

    def save_service(self, request, obj, form, change):
        services.save_record(
            instance=obj, acting_user=request.user, changed=form.changed_data if change else []
        )

    def delete_service(self, request, obj):
        services.delete_record(instance=obj, acting_user=request.user)

    def save_model(self, request, obj, form, change):
        self.save_service(request, obj, form, change)

    def delete_model(self, request, obj):
        self.delete_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            services.delete_record(instance=deleted, acting_user=request.user)
        for instance in instances:
            # Unsaved model instances cannot be dict keys: match forms by identity.
            inline_form = next((f for f in formset.forms if f.instance is instance), None)
            services.save_record(
                instance=instance,
                acting_user=request.user,
                changed=inline_form.changed_data if inline_form and instance.pk else [],
            )
        formset.save_m2m()
